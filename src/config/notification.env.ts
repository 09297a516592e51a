import { countries, int, listOf, oneOf, str, url, type EnvVarSpec } from './env.parsers.js';
import { SMS_GUARD_ENV_SCHEMA } from './sms-guard.env.js';

/**
 * Where codes go and how: phone numbers accepted, the SMS fraud defence, the SMS and email
 * providers with their credentials, and the message templates. Spread into ENV_SCHEMA.
 */
export const NOTIFICATION_ENV_SCHEMA = {
  DEFAULT_PHONE_REGION: { default: 'UZ', parse: (r: string) => countries(r)[0] ?? 'UZ' },
  SMS_ALLOWED_COUNTRIES: { default: '', parse: countries },
  ...SMS_GUARD_ENV_SCHEMA,
  SMS_PROVIDERS: { default: 'console', parse: listOf('eskiz', 'twilio', 'console') },
  EMAIL_PROVIDERS: { default: 'console', parse: listOf('smtp', 'console') },
  ESKIZ_BASE_URL: { default: 'https://notify.eskiz.uz', parse: url('http:', 'https:') },
  ESKIZ_EMAIL: { parse: str },
  ESKIZ_PASSWORD: { sensitive: true, parse: str },
  ESKIZ_FROM: { default: '4546', parse: str },
  TWILIO_BASE_URL: { default: 'https://api.twilio.com', parse: url('http:', 'https:') },
  TWILIO_ACCOUNT_SID: { parse: str },
  TWILIO_AUTH_TOKEN: { sensitive: true, parse: str },
  TWILIO_FROM: { parse: str },
  SMTP_URL: { sensitive: true, parse: url('smtp:', 'smtps:') },
  EMAIL_FROM: { parse: str },
  NOTIFY_TIMEOUT_MS: { default: '5000', parse: int(100, 120_000) },
  DEFAULT_LOCALE: { default: 'en', parse: oneOf('en', 'ru', 'uz') },
  PRODUCT_NAME: { default: 'Codeward', parse: str },
  TEMPLATES_DIR: { parse: str },
} satisfies Record<string, EnvVarSpec<unknown>>;
