import { Injectable } from '@nestjs/common';
import {
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
  type PhoneNumberType,
} from 'libphonenumber-js/max';
import validator from 'validator';
import { AppConfig } from '#src/config/app-config.js';
import { AppError } from '#src/common/errors/app-error.js';

export type Channel = 'sms' | 'email';

/**
 * What libphonenumber (full metadata) told of a phone number when it was parsed, kept so that
 * nothing downstream (the SMS guard) parses the number again.
 */
export interface PhoneDetails {
  /** libphonenumber's number type, or UNKNOWN when the metadata cannot tell. */
  type: PhoneNumberType | 'UNKNOWN';
  /** Country calling code, digits without `+` (`998`; `881` for a number of no country). */
  callingCode: string;
  /** National significant number, digits (`901234567`). */
  nationalNumber: string;
}

export interface SmsRecipient {
  channel: 'sms';
  /** E.164. One recipient, one set of counters. */
  value: string;
  /** ISO country, or undefined for numbers of no country (+800, +870, +881, +882, +883, ...). */
  country?: string;
  phone: PhoneDetails;
}

export interface EmailRecipient {
  channel: 'email';
  /** Trimmed, lower-case. One recipient, one set of counters. */
  value: string;
}

export type Recipient = SmsRecipient | EmailRecipient;

/**
 * How many phone texts the normalizer remembers. Parsing with the full metadata is its costliest
 * step (about 10 µs), and the same text arrives again and again when it matters (a flood on one
 * victim, a send then its verify). A small LRU: a long round-robin over many numbers, as in the
 * benchmark's verify run, gets no hits from it.
 */
const REMEMBERED_PHONES = 1_024;

/** Turns what a client typed into the one canonical recipient, or a contract error. */
@Injectable()
export class RecipientNormalizer {
  /** Raw text → its parse (frozen, shared), or null when it is no valid number. */
  private readonly phones = new Map<string, SmsRecipient | null>();

  constructor(private readonly config: AppConfig) {}

  normalize(channel: 'sms', raw: string): SmsRecipient;
  normalize(channel: 'email', raw: string): EmailRecipient;
  normalize(channel: Channel, raw: string): Recipient;
  normalize(channel: Channel, raw: string): Recipient {
    return channel === 'sms' ? this.phone(raw) : this.email(raw);
  }

  /** Like normalize, but without the country allow-list (admin look-ups of any stored recipient). */
  canonical(channel: Channel, raw: string): string {
    return channel === 'sms' ? this.parsePhone(raw).value : this.email(raw).value;
  }

  /**
   * A number typed in international form (`+` and digits), read with no default region and no
   * allow-list (admins naming a breaker prefix by one of its numbers); null unless valid.
   */
  international(e164: string): SmsRecipient | null {
    const parsed = parsePhoneNumberFromString(e164);
    return parsed ? validPhone(parsed) : null;
  }

  private parsePhone(raw: string): SmsRecipient {
    let recipient = this.phones.get(raw);
    if (recipient === undefined) {
      recipient = this.parseNew(raw);
      if (this.phones.size >= REMEMBERED_PHONES) {
        this.phones.delete(this.phones.keys().next().value!);
      }
    } else {
      this.phones.delete(raw); // re-inserted below: the map's order is least recently used first
    }
    this.phones.set(raw, recipient);
    if (!recipient) throw new AppError('INVALID_RECIPIENT', 'to is not a valid phone number');
    return recipient;
  }

  private parseNew(raw: string): SmsRecipient | null {
    const trimmed = raw.trim();
    // `998901234567` (country code without +) is common in Uzbekistan; try it as international first.
    const candidates = /^\d{10,15}$/.test(trimmed) ? [`+${trimmed}`, trimmed] : [trimmed];
    for (const candidate of candidates) {
      const parsed = parsePhoneNumberFromString(
        candidate,
        this.config.phone.defaultRegion as CountryCode,
      );
      const recipient = parsed && validPhone(parsed);
      if (recipient) return recipient;
    }
    return null;
  }

  private phone(raw: string): SmsRecipient {
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

  private email(raw: string): EmailRecipient {
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

/**
 * The recipient of a parsed number, or null when libphonenumber does not hold it valid. With the
 * full metadata isValid() is getType() !== undefined, so the type is asked for once; isValid()
 * decides only when there is no type (a plan without type patterns, or an invalid number).
 */
function validPhone(parsed: PhoneNumber): SmsRecipient | null {
  const type = parsed.getType();
  if (type === undefined && !parsed.isValid()) return null;
  return Object.freeze({
    channel: 'sms',
    value: parsed.number,
    country: parsed.country,
    phone: Object.freeze({
      type: type ?? 'UNKNOWN',
      callingCode: parsed.countryCallingCode,
      nationalNumber: parsed.nationalNumber,
    }),
  });
}
