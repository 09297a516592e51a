import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { RecipientNormalizer } from '../common/recipient/recipient-normalizer.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminAuditService } from './admin-audit.service.js';
import { AdminAuthFailureRepository } from './admin-auth-failure.repository.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminGuard } from './admin.guard.js';

/** The /v1/admin API: audit trail, stats, blocks and unlocks, behind AdminGuard. */
@Module({
  imports: [AuditModule],
  controllers: [AdminAuditController],
  providers: [
    RecipientNormalizer,
    AdminAuthFailureRepository,
    AdminAuthService,
    AdminGuard,
    AdminAuditService,
  ],
})
export class AdminModule {}
