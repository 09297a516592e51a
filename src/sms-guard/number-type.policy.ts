import type { AppConfig } from '#src/config/app-config.js';
import type { Destination } from './destination.js';

export type NumberRefusalReason = 'number_type' | 'non_geographic';

/**
 * SMS_ALLOWED_NUMBER_TYPES: a number may receive codes when its type is listed and, for a number
 * of no country (libphonenumber's region 001: +800, +870, +881, +882, +883, ...), when
 * NON_GEOGRAPHIC is listed too. Null when allowed, else why not.
 */
export function numberRefusal(
  destination: Destination,
  rules: AppConfig['smsGuard'],
): NumberRefusalReason | null {
  const allowed: readonly string[] = rules.allowedNumberTypes;
  if (!destination.country && !allowed.includes('NON_GEOGRAPHIC')) return 'non_geographic';
  if (!allowed.includes(destination.type)) return 'number_type';
  return null;
}
