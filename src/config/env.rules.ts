import type { Env } from './env.schema.js';

// Admin keys are bearer secrets checked without a failure throttle: long enough not to be guessed.
const MIN_PRODUCTION_ADMIN_KEY_LENGTH = 32;

function requireFor(problems: string[], when: string, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === '') problems.push(`${name} is required when ${when}`);
  }
}

/** Production needs real secrets, real providers and long admin keys. */
function productionProblems(e: Env, problems: string[]): void {
  if (e.NODE_ENV !== 'production') return;
  requireFor(problems, 'NODE_ENV=production', {
    OTP_PEPPER: e.OTP_PEPPER,
    TOKEN_SECRET: e.TOKEN_SECRET,
    ADMIN_API_KEYS: e.ADMIN_API_KEYS?.length ? e.ADMIN_API_KEYS : undefined,
  });
  if (e.SMS_PROVIDERS.includes('console')) {
    problems.push('SMS_PROVIDERS may not include console in production');
  }
  if (e.EMAIL_PROVIDERS.includes('console')) {
    problems.push('EMAIL_PROVIDERS may not include console in production');
  }
  if (e.ADMIN_API_KEYS?.some((k) => k.length < MIN_PRODUCTION_ADMIN_KEY_LENGTH)) {
    problems.push(
      `ADMIN_API_KEYS: each key must be at least ${MIN_PRODUCTION_ADMIN_KEY_LENGTH} characters in production`,
    );
  }
}

/** Each provider named needs its credentials, and each channel at least one provider. */
function providerProblems(e: Env, problems: string[]): void {
  if (e.SMS_PROVIDERS.includes('eskiz')) {
    requireFor(problems, 'SMS_PROVIDERS names eskiz', {
      ESKIZ_EMAIL: e.ESKIZ_EMAIL,
      ESKIZ_PASSWORD: e.ESKIZ_PASSWORD,
    });
  }
  if (e.SMS_PROVIDERS.includes('twilio')) {
    requireFor(problems, 'SMS_PROVIDERS names twilio', {
      TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN,
      TWILIO_FROM: e.TWILIO_FROM,
    });
  }
  if (e.EMAIL_PROVIDERS.includes('smtp')) {
    requireFor(problems, 'EMAIL_PROVIDERS names smtp', {
      SMTP_URL: e.SMTP_URL,
      EMAIL_FROM: e.EMAIL_FROM,
    });
  }
  if (e.SMS_PROVIDERS.length === 0) problems.push('SMS_PROVIDERS must name at least one provider');
  if (e.EMAIL_PROVIDERS.length === 0) {
    problems.push('EMAIL_PROVIDERS must name at least one provider');
  }
}

function purposeProblems(e: Env, problems: string[]): void {
  if (e.OTP_PURPOSES.length === 0) problems.push('OTP_PURPOSES must name at least one purpose');
  for (const p of e.OTP_PURPOSES) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(p)) {
      problems.push(`OTP_PURPOSES entry "${p}" must be snake_case`);
    }
  }
}

/** The rules that span several variables, each problem as one line (empty when all hold). */
export function crossVariableProblems(e: Env): string[] {
  const problems: string[] = [];
  productionProblems(e, problems);
  providerProblems(e, problems);
  purposeProblems(e, problems);
  return problems;
}
