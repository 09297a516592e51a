import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ConsoleEmailProvider } from './email/console.email-provider.js';
import type { EmailProvider } from './email/email-provider.js';
import { NotificationService } from './notification.service.js';
import { EmailProviderChain, SmsProviderChain } from './provider-chain.js';
import { ConsoleSmsProvider } from './sms/console.sms-provider.js';
import type { SmsProvider } from './sms/sms-provider.js';

function smsChain(config: AppConfig): SmsProviderChain {
  const providers: SmsProvider[] = config.sms.providers.map((name) => {
    switch (name) {
      case 'console':
        return new ConsoleSmsProvider();
      case 'eskiz':
      case 'twilio':
        throw new Error(`SMS provider ${name} is not built yet`);
    }
  });
  return { providers };
}

function emailChain(config: AppConfig): EmailProviderChain {
  const providers: EmailProvider[] = config.email.providers.map((name) => {
    switch (name) {
      case 'console':
        return new ConsoleEmailProvider();
      case 'smtp':
        throw new Error(`Email provider ${name} is not built yet`);
    }
  });
  return { providers };
}

@Module({
  providers: [
    NotificationService,
    { provide: SmsProviderChain, inject: [AppConfig], useFactory: smsChain },
    { provide: EmailProviderChain, inject: [AppConfig], useFactory: emailChain },
  ],
  exports: [NotificationService],
})
export class NotificationModule {}
