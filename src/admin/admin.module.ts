import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { OtpModule } from '../otp/otp.module.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminAuditService } from './admin-audit.service.js';
import { AdminAuthFailureRepository } from './admin-auth-failure.repository.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminBlocksController } from './admin-blocks.controller.js';
import { AdminBlocksService } from './admin-blocks.service.js';
import { AdminGuard } from './admin.guard.js';

/** The /v1/admin API: audit trail, stats, blocks and unlocks, behind AdminGuard. */
@Module({
  imports: [AuditModule, OtpModule, RateLimitModule],
  controllers: [AdminAuditController, AdminBlocksController],
  providers: [
    AdminAuthFailureRepository,
    AdminAuthService,
    AdminGuard,
    AdminAuditService,
    AdminBlocksService,
  ],
})
export class AdminModule {}
