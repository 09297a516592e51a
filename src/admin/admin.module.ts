import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { LoginThrottleModule } from '#src/accounts/login-throttle/login-throttle.module.js';
import { OtpModule } from '#src/otp/otp.module.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { SmsGuardModule } from '#src/sms-guard/sms-guard.module.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminAuditService } from './admin-audit.service.js';
import { AdminAuthFailureRepository } from './admin-auth-failure.repository.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminBlocksController } from './admin-blocks.controller.js';
import { AdminBlocksService } from './admin-blocks.service.js';
import { AdminGuard } from './admin.guard.js';
import { AdminAlertsController } from './admin-alerts.controller.js';
import { AdminSeriesController } from './admin-series.controller.js';
import { AdminSeriesRepository } from './admin-series.repository.js';
import { AdminSeriesService } from './admin-series.service.js';

/** The /v1/admin API: audit trail, stats, blocks and unlocks, behind AdminGuard. */
@Module({
  imports: [AuditModule, OtpModule, RateLimitModule, LoginThrottleModule, SmsGuardModule],
  controllers: [
    AdminAuditController,
    AdminBlocksController,
    AdminSeriesController,
    AdminAlertsController,
  ],
  providers: [
    AdminAuthFailureRepository,
    AdminAuthService,
    AdminGuard,
    AdminAuditService,
    AdminBlocksService,
    AdminSeriesRepository,
    AdminSeriesService,
  ],
})
export class AdminModule {}
