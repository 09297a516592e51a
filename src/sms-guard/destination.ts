import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** What the fraud defence needs to know about one phone number. */
export interface Destination {
  /** The number, E.164. */
  e164: string;
  /** libphonenumber's type (full metadata), or UNKNOWN when it cannot tell. */
  type: string;
  /** ISO country, or undefined for numbers of no country (+800, +870, +881, +882, +883, ...). */
  country?: string;
  /** `+` country calling code and the first `prefixDigits` national digits, e.g. `+9989012`. */
  prefix: string;
}

/**
 * Classifies a normalised (E.164) phone number with libphonenumber's full metadata: the default
 * (min) metadata cannot tell number types apart. Null for something that is not a phone number
 * (with `validOnly`, for anything libphonenumber does not hold valid).
 */
export function classifyDestination(
  e164: string,
  prefixDigits: number,
  validOnly = false,
): Destination | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || (validOnly && !parsed.isValid())) return null;
  return {
    e164: parsed.number,
    type: parsed.getType() ?? 'UNKNOWN',
    country: parsed.country,
    prefix: `+${parsed.countryCallingCode}${parsed.nationalNumber.slice(0, prefixDigits)}`,
  };
}
