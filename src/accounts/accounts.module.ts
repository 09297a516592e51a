import { Module } from '@nestjs/common';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountsController } from './accounts.controller.js';
import { HrAccountRepository } from './hr-account.repository.js';
import { HrAccountService } from './hr-account.service.js';
import { HrAuthService } from './hr-auth.service.js';
import { HrRegistrationAttemptRepository } from './hr-registration-attempt.repository.js';
import { LoginThrottleModule } from './login-throttle/login-throttle.module.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * HR accounts (hr_accounts, and the registrations awaiting activation in
 * hr_registration_attempts): argon2id passwords, access tokens, `/v1/hr/login` with its per-email
 * throttle, and `/v1/hr/me`. The flows (registration, password reset) build on HrAccountService;
 * this module knows nothing about them.
 */
@Module({
  imports: [RateLimitModule, LoginThrottleModule],
  controllers: [AccountsController],
  providers: [
    HrAuthService,
    HrAccountService,
    AccessTokenService,
    HrAccountRepository,
    HrRegistrationAttemptRepository,
    PasswordHasher,
  ],
  exports: [HrAccountService],
})
export class AccountsModule {}
