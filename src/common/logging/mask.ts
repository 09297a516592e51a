/** `+998901234567` -> `+998*******67`. */
export function maskPhone(e164: string): string {
  if (e164.length <= 6) return '*'.repeat(e164.length);
  return e164.slice(0, 4) + '*'.repeat(e164.length - 6) + e164.slice(-2);
}

/** `john@example.com` -> `j***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskRecipient(channel: 'sms' | 'email', recipient: string): string {
  return channel === 'sms' ? maskPhone(recipient) : maskEmail(recipient);
}

/** Body keys never written to a log line. */
export const REDACTED_KEYS =
  /code|otp|password|token|secret|phone|email|to$|authorization|cookie|key/i;
