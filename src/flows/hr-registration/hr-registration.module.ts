import { Module } from '@nestjs/common';
import { AccountsModule } from '#src/accounts/accounts.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { NotificationModule } from '#src/notification/notification.module.js';
import { OtpModule } from '#src/otp/otp.module.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { Sleeper, TimerSleeper, WorkTimeMimic } from '#src/flows/common/work-time-mimic.js';
import { HrRegistrationController } from './hr-registration.controller.js';
import { HrRegistrationService } from './hr-registration.service.js';

/** `/v1/hr/register` and `/v1/hr/register/verify`: the registration flow over AccountsModule. */
@Module({
  imports: [OtpModule, NotificationModule, RateLimitModule, AuditModule, AccountsModule],
  controllers: [HrRegistrationController],
  providers: [HrRegistrationService, WorkTimeMimic, { provide: Sleeper, useClass: TimerSleeper }],
})
export class HrRegistrationModule {}
