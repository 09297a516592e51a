import { Module } from '@nestjs/common';
import { AccountsModule } from '../../accounts/accounts.module.js';
import { AuditModule } from '../../audit/audit.module.js';
import { NotificationModule } from '../../notification/notification.module.js';
import { OtpModule } from '../../otp/otp.module.js';
import { RateLimitModule } from '../../rate-limit/rate-limit.module.js';
import { FlowTasks } from '../common/flow-tasks.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetService } from './password-reset.service.js';

@Module({
  imports: [OtpModule, NotificationModule, RateLimitModule, AuditModule, AccountsModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService, FlowTasks],
})
export class PasswordResetModule {}
