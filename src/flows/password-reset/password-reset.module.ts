import { Module } from '@nestjs/common';
import { AccountsModule } from '#src/accounts/accounts.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { NotificationModule } from '#src/notification/notification.module.js';
import { OtpModule } from '#src/otp/otp.module.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetService } from './password-reset.service.js';

@Module({
  imports: [OtpModule, NotificationModule, RateLimitModule, AuditModule, AccountsModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService, FlowTasks],
})
export class PasswordResetModule {}
