import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#src/config/app-config.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import { NotificationService } from '#src/notification/notification.service.js';

/** Tells an account's address that its password changed, after the answer went. */
@Injectable()
export class PasswordChangedNoticeService {
  private readonly logger = new Logger(PasswordChangedNoticeService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationService,
    private readonly tasks: FlowTasks,
  ) {}

  /** Starts the notice in the background; a notice not delivered is logged (by account id only). */
  schedule(email: string, accountId: string): void {
    this.tasks.run('password-reset.notice', async () => {
      const notice = await this.notifications.sendPasswordChangedNotice(
        email,
        this.config.notify.defaultLocale,
      );
      if (!notice.delivered) {
        this.logger.warn({ accountId }, 'password-changed notice not delivered');
      }
    });
  }
}
