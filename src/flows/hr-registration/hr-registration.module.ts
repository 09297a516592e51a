import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { NotificationModule } from '../../notification/notification.module.js';
import { OtpModule } from '../../otp/otp.module.js';
import { RateLimitModule } from '../../rate-limit/rate-limit.module.js';
import { PasswordHasher } from '../common/password-hasher.js';
import { Sleeper, TimerSleeper, WorkTimeMimic } from '../common/work-time-mimic.js';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module.js';
import { AccessTokenService } from './access-token.service.js';
import { HrAccountRepository } from './hr-account.repository.js';
import { HrAccountService } from './hr-account.service.js';
import { HrAuthService } from './hr-auth.service.js';
import { HrRegistrationAttemptRepository } from './hr-registration-attempt.repository.js';
import { HrRegistrationController } from './hr-registration.controller.js';
import { HrRegistrationService } from './hr-registration.service.js';

@Module({
  imports: [OtpModule, NotificationModule, RateLimitModule, AuditModule, LoginThrottleModule],
  controllers: [HrRegistrationController],
  providers: [
    HrRegistrationService,
    HrAuthService,
    HrAccountService,
    AccessTokenService,
    HrAccountRepository,
    HrRegistrationAttemptRepository,
    WorkTimeMimic,
    { provide: Sleeper, useClass: TimerSleeper },
    PasswordHasher,
  ],
  exports: [HrAccountService],
})
export class HrRegistrationModule {}
