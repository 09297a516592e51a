import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppCache } from '#src/common/cache/app-cache.js';
import { AppConfig } from '#src/config/app-config.js';
import { ConsoleEmailProvider } from './email/console.email-provider.js';
import type { EmailProvider } from './email/email-provider.js';
import { SmtpEmailProvider } from './email/smtp.email-provider.js';
import { NotificationService } from './notification.service.js';
import { EmailProviderChain, SmsProviderChain } from './provider-chain.js';
import { ConsoleSmsProvider } from './sms/console.sms-provider.js';
import { EskizSmsProvider } from './sms/eskiz.sms-provider.js';
import type { SmsProvider } from './sms/sms-provider.js';
import { TwilioSmsProvider } from './sms/twilio.sms-provider.js';
import { NotificationTemplates } from './templates/notification-templates.js';

// Credentials are guaranteed by buildAppConfig when a provider is named (see app-config.ts).
const required = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`${name} is not configured`);
  return value;
};

export function createSmsProviders(config: AppConfig, cache: AppCache | null): SmsProvider[] {
  const { eskiz, twilio } = config.sms;
  return config.sms.providers.map((name): SmsProvider => {
    switch (name) {
      case 'console':
        return new ConsoleSmsProvider();
      case 'eskiz':
        return new EskizSmsProvider(
          {
            baseUrl: eskiz.baseUrl,
            email: required(eskiz.email, 'ESKIZ_EMAIL'),
            password: required(eskiz.password, 'ESKIZ_PASSWORD'),
            from: eskiz.from,
            loginTimeoutMs: config.notify.timeoutMs,
          },
          cache,
        );
      case 'twilio':
        return new TwilioSmsProvider({
          baseUrl: twilio.baseUrl,
          accountSid: required(twilio.accountSid, 'TWILIO_ACCOUNT_SID'),
          authToken: required(twilio.authToken, 'TWILIO_AUTH_TOKEN'),
          from: required(twilio.from, 'TWILIO_FROM'),
        });
    }
  });
}

export function createEmailProviders(config: AppConfig): EmailProvider[] {
  return config.email.providers.map((name): EmailProvider => {
    switch (name) {
      case 'console':
        return new ConsoleEmailProvider();
      case 'smtp':
        return new SmtpEmailProvider({
          url: required(config.email.smtpUrl, 'SMTP_URL'),
          from: required(config.email.from, 'EMAIL_FROM'),
          timeoutMs: config.notify.timeoutMs,
        });
    }
  });
}

/** The configured chains, built once; the email chain closes the SMTP pool at shutdown. */
class ConfiguredSmsChain extends SmsProviderChain {
  constructor(readonly providers: readonly SmsProvider[]) {
    super();
  }
}

class ConfiguredEmailChain extends EmailProviderChain implements OnApplicationShutdown {
  constructor(readonly providers: readonly EmailProvider[]) {
    super();
  }

  onApplicationShutdown(): void {
    for (const p of this.providers) if (p instanceof SmtpEmailProvider) p.close();
  }
}

@Module({
  providers: [
    NotificationService,
    {
      provide: NotificationTemplates,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new NotificationTemplates(config.notify),
    },
    {
      provide: SmsProviderChain,
      inject: [AppConfig, { token: AppCache, optional: true }],
      useFactory: (config: AppConfig, cache?: AppCache) =>
        new ConfiguredSmsChain(createSmsProviders(config, cache ?? null)),
    },
    {
      provide: EmailProviderChain,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ConfiguredEmailChain(createEmailProviders(config)),
    },
  ],
  exports: [NotificationService],
})
export class NotificationModule {}
