import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import validator from 'validator';
import { AppConfig } from '../../config/app-config.js';
import { AppError } from '../errors/app-error.js';

export type Channel = 'sms' | 'email';

export interface Recipient {
  channel: Channel;
  /** E.164 for sms, trimmed lower-case for email. One recipient, one set of counters. */
  value: string;
  /** ISO country of a phone number. */
  country?: string;
}

/** Turns what a client typed into the one canonical recipient, or a contract error. */
@Injectable()
export class RecipientNormalizer {
  constructor(private readonly config: AppConfig) {}

  normalize(channel: Channel, raw: string): Recipient {
    return channel === 'sms' ? this.phone(raw) : this.email(raw);
  }

  /** Like normalize, but without the country allow-list (admin look-ups of any stored recipient). */
  canonical(channel: Channel, raw: string): string {
    return channel === 'sms' ? this.parsePhone(raw).value : this.email(raw).value;
  }

  private parsePhone(raw: string): Recipient {
    const trimmed = raw.trim();
    // `998901234567` (country code without +) is common in Uzbekistan; try it as international first.
    const candidates = /^\d{10,15}$/.test(trimmed) ? [`+${trimmed}`, trimmed] : [trimmed];
    for (const candidate of candidates) {
      const parsed = parsePhoneNumberFromString(
        candidate,
        this.config.phone.defaultRegion as CountryCode,
      );
      if (parsed?.isValid()) {
        return { channel: 'sms', value: parsed.number, country: parsed.country };
      }
    }
    throw new AppError('INVALID_RECIPIENT', 'to is not a valid phone number');
  }

  private phone(raw: string): Recipient {
    const recipient = this.parsePhone(raw);
    const allowed = this.config.phone.allowedCountries;
    if (allowed.length > 0 && !allowed.includes(recipient.country ?? '')) {
      throw new AppError(
        'COUNTRY_NOT_ALLOWED',
        `SMS to ${recipient.country ?? 'this country'} is not enabled`,
      );
    }
    return recipient;
  }

  private email(raw: string): Recipient {
    const value = raw.trim().toLowerCase();
    if (
      value.length > 254 ||
      !validator.isEmail(value, {
        allow_display_name: false,
        require_tld: true,
        allow_ip_domain: false,
      })
    ) {
      throw new AppError('INVALID_RECIPIENT', 'to is not a valid email address');
    }
    return { channel: 'email', value };
  }
}
