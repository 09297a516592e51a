import { Module } from '@nestjs/common';
import { AccountsModule } from '#src/accounts/accounts.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { NotificationModule } from '#src/notification/notification.module.js';
import { OtpModule } from '#src/otp/otp.module.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { PasswordChangedNoticeService } from './password-changed-notice.service.js';
import { PasswordResetCodeService } from './password-reset-code.service.js';
import { PasswordResetConfirmService } from './password-reset-confirm.service.js';
import { PasswordResetRequestService } from './password-reset-request.service.js';
import { PasswordResetTokenService } from './password-reset-token.service.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetService } from './password-reset.service.js';

@Module({
  imports: [OtpModule, NotificationModule, RateLimitModule, AuditModule, AccountsModule],
  controllers: [PasswordResetController],
  providers: [
    PasswordResetService,
    PasswordResetRequestService,
    PasswordResetCodeService,
    PasswordResetConfirmService,
    PasswordResetTokenService,
    PasswordChangedNoticeService,
    FlowTasks,
  ],
})
export class PasswordResetModule {}
