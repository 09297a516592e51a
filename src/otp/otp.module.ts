import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { NotificationModule } from '#src/notification/notification.module.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { SmsGuardModule } from '#src/sms-guard/sms-guard.module.js';
import { OtpAdminRepository } from './otp-admin.repository.js';
import { OtpAttemptClaimService } from './otp-attempt-claim.service.js';
import { OtpAttemptRepository } from './otp-attempt.repository.js';
import { OtpClaimVerifyService } from './otp-claim-verify.service.js';
import { OtpCleanupService } from './otp-cleanup.service.js';
import { OtpFastPath } from './otp-fast-path.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpHmacVerifyService } from './otp-hmac-verify.service.js';
import { OtpLockService } from './otp-lock.service.js';
import { OtpSendClaimService } from './otp-send-claim.service.js';
import { OtpSendDeliveryService } from './otp-send-delivery.service.js';
import { OtpSendOutcomeService } from './otp-send-outcome.service.js';
import { OtpSendPolicyService } from './otp-send-policy.service.js';
import { OtpTokenService } from './otp-token.service.js';
import { OtpVerifyOutcomeService } from './otp-verify-outcome.service.js';
import { OtpVerifyRepository } from './otp-verify.repository.js';
import { OtpVerifyService } from './otp-verify.service.js';
import { OtpApi } from './otp.api.js';
import { OtpController } from './otp.controller.js';
import { OtpAttemptStore, OtpHmacVerifyStore, OtpSendStore, OtpStateStore } from './otp.ports.js';
import { OtpRepository } from './otp.repository.js';
import { OtpService } from './otp.service.js';
import { UsedTokenRepository } from './used-token.repository.js';

@Module({
  imports: [AuditModule, NotificationModule, RateLimitModule, SmsGuardModule],
  controllers: [OtpController],
  providers: [
    OtpService,
    OtpSendPolicyService,
    OtpSendClaimService,
    OtpSendDeliveryService,
    OtpSendOutcomeService,
    OtpVerifyService,
    OtpHmacVerifyService,
    OtpClaimVerifyService,
    OtpAttemptClaimService,
    OtpVerifyOutcomeService,
    OtpTokenService,
    OtpLockService,
    OtpApi,
    OtpRepository,
    OtpVerifyRepository,
    OtpAttemptRepository,
    OtpAdminRepository,
    { provide: OtpStateStore, useExisting: OtpRepository },
    { provide: OtpSendStore, useExisting: OtpRepository },
    { provide: OtpHmacVerifyStore, useExisting: OtpVerifyRepository },
    { provide: OtpAttemptStore, useExisting: OtpAttemptRepository },
    UsedTokenRepository,
    OtpHasher,
    OtpFastPath,
    OtpCleanupService,
  ],
  exports: [OtpService, OtpVerifyService, OtpTokenService, OtpLockService],
})
export class OtpModule {}
