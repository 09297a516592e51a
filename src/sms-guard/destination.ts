import type { PhoneDetails, SmsRecipient } from '#src/common/recipient/recipient-normalizer.js';

/** What the fraud defence needs to know about one phone number. */
export interface Destination {
  /** The number, E.164. */
  e164: string;
  /** libphonenumber's type (full metadata), or UNKNOWN when it cannot tell. */
  type: PhoneDetails['type'];
  /** ISO country, or undefined for numbers of no country (+800, +870, +881, +882, +883, ...). */
  country?: string;
  /** `+` country calling code and the first `prefixDigits` national digits, e.g. `+9989012`. */
  prefix: string;
}

/**
 * The destination of a normalised recipient, from what RecipientNormalizer found when it parsed
 * the number (libphonenumber's full metadata): no second parse.
 */
export function destinationOf(recipient: SmsRecipient, prefixDigits: number): Destination {
  return {
    e164: recipient.value,
    type: recipient.phone.type,
    country: recipient.country,
    prefix: breakerPrefix(recipient.phone, prefixDigits),
  };
}

/** `+` country calling code and the first `prefixDigits` national digits. */
export function breakerPrefix(phone: PhoneDetails, prefixDigits: number): string {
  return `+${phone.callingCode}${phone.nationalNumber.slice(0, prefixDigits)}`;
}
