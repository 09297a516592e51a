import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** Helmet's options for every response (the admin dashboard narrows the CSP, see admin-ui.ts). */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
      scriptSrc: [`'self'`, `'unsafe-inline'`],
    },
  },
};

/**
 * The security headers helmet sets with these options, worked out once at boot by running helmet
 * on a recording response. Every header helmet sets is static (no nonces are used), and
 * `@fastify/helmet` rebuilt helmet, CSP parsing included, on every request (about 9 % of the
 * server's CPU in a flood, BENCHMARKS.md); the app now sets this object from its first hook.
 */
export function securityHeaders(
  options: Readonly<HelmetOptions> = HELMET_OPTIONS,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure instanceof Error) throw failure;
  if (failure) throw new Error('helmet refused its options');
  return Object.freeze(headers);
}
