import type { OtpMessageRequest } from '../notification.types.js';

const minutes = (seconds: number) => Math.max(1, Math.round(seconds / 60));

export function renderOtpSms(req: OtpMessageRequest, product: string): string {
  return `${product}: your code is ${req.code}. It expires in ${minutes(req.ttlSeconds)} min. Do not share it.`;
}

export function renderOtpEmail(
  req: OtpMessageRequest,
  product: string,
): { subject: string; text: string; html: string } {
  const text = `Your ${product} code is ${req.code}. It expires in ${minutes(req.ttlSeconds)} minutes. If you did not ask for it, ignore this email.`;
  return { subject: `${product} code: ${req.code}`, text, html: `<p>${text}</p>` };
}
