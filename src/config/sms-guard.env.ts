/**
 * Environment variables of the SMS fraud defence (src/sms-guard): the number-type policy and the
 * per-destination breaker. Spread into ENV_SCHEMA; see docs/fraud.md.
 */

/** libphonenumber's number types, plus NON_GEOGRAPHIC (numbers of no country) and UNKNOWN. */
export const SMS_NUMBER_TYPE_TOKENS = [
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'FIXED_LINE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  'UNKNOWN',
  'NON_GEOGRAPHIC',
] as const;
export type SmsNumberTypeToken = (typeof SMS_NUMBER_TYPE_TOKENS)[number];

const items = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const numberTypes = (raw: string): SmsNumberTypeToken[] => {
  const out = items(raw).map((s) => s.toUpperCase());
  for (const t of out) {
    if (!(SMS_NUMBER_TYPE_TOKENS as readonly string[]).includes(t)) {
      throw new Error(`entries must be among ${SMS_NUMBER_TYPE_TOKENS.join(', ')}, got "${t}"`);
    }
  }
  return out as SmsNumberTypeToken[];
};

const wholeNumber =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new Error(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };

const share = (raw: string): number => {
  const v = raw.trim();
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(v)) {
    throw new Error(`must be a number from 0 to 1, got "${raw}"`);
  }
  return Number(v);
};

const onOff = (raw: string): boolean => {
  const v = raw.trim().toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new Error(`must be on or off, got "${raw}"`);
};

/** `+99890, +44 7700` -> ['+99890', '+447700']: destination prefixes as E.164 digits. */
const prefixes = (raw: string): string[] =>
  items(raw).map((p) => {
    const digits = p.replace(/[\s-]/g, '');
    if (!/^\+?\d{1,15}$/.test(digits)) throw new Error(`"${p}" is not a +digits prefix`);
    return `+${digits.replace(/^\+/, '')}`;
  });

const DAYS_30 = 30 * 86_400;

export const SMS_GUARD_ENV_SCHEMA = {
  SMS_ALLOWED_NUMBER_TYPES: { default: 'MOBILE,FIXED_LINE_OR_MOBILE', parse: numberTypes },
  SMS_BREAKER: { default: 'on', parse: onOff },
  SMS_BREAKER_PREFIX_DIGITS: { default: '4', parse: wholeNumber(0, 12) },
  SMS_BREAKER_WINDOW_SECONDS: { default: '3600', parse: wholeNumber(1, DAYS_30) },
  SMS_BREAKER_MIN_SENDS: { default: '50', parse: wholeNumber(1, 1_000_000) },
  SMS_BREAKER_MIN_CONVERSION: { default: '0.2', parse: share },
  SMS_BREAKER_OPEN_SECONDS: { default: '3600', parse: wholeNumber(1, DAYS_30) },
  SMS_BREAKER_PROBE_SENDS: { default: '3', parse: wholeNumber(1, 1_000) },
  SMS_BREAKER_ALLOW_PREFIXES: { default: '', parse: prefixes },
};
