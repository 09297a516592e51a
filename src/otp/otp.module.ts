import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { NotificationModule } from '../notification/notification.module.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { SmsGuardModule } from '../sms-guard/sms-guard.module.js';
import { OtpCleanupService } from './otp-cleanup.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpLockService } from './otp-lock.service.js';
import { OtpTokenService } from './otp-token.service.js';
import { OtpApi } from './otp.api.js';
import { OtpController } from './otp.controller.js';
import { OtpRepository } from './otp.repository.js';
import { OtpVerifyRepository } from './otp-verify.repository.js';
import { UsedTokenRepository } from './used-token.repository.js';
import { OtpService } from './otp.service.js';
import { OtpVerifyService } from './otp-verify.service.js';

@Module({
  imports: [AuditModule, NotificationModule, RateLimitModule, SmsGuardModule],
  controllers: [OtpController],
  providers: [
    OtpService,
    OtpVerifyService,
    OtpTokenService,
    OtpLockService,
    OtpApi,
    OtpRepository,
    OtpVerifyRepository,
    UsedTokenRepository,
    OtpHasher,
    OtpFastPath,
    OtpCleanupService,
  ],
  exports: [OtpService, OtpVerifyService, OtpTokenService, OtpLockService],
})
export class OtpModule {}
