import { isIP } from 'node:net';

/**
 * How one environment variable is declared in ENV_SCHEMA: default, parser and whether it is a
 * secret (secrets are never printed).
 */
export interface EnvVarSpec<T> {
  readonly default?: string;
  readonly sensitive?: boolean;
  readonly parse: (raw: string) => T;
  /** The usual range: a value outside it is accepted, with one warning line at boot. */
  readonly guidance?: Guidance;
}

export interface Guidance {
  readonly min?: number;
  readonly max?: number;
  readonly why: string;
}

export class EnvError extends Error {}

export const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new EnvError(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new EnvError(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };

// Durations accept any whole number of seconds from 1 up (a deployment's own tests need short
// expiries); the guidance says what a production value usually is.
export const seconds = (max: number) => int(1, max);

export const str = (raw: string): string => raw.trim();

export const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export const oneOf =
  <T extends string>(...allowed: T[]) =>
  (raw: string): T => {
    const v = raw.trim() as T;
    if (!allowed.includes(v)) {
      throw new EnvError(`must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return v;
  };

export const listOf =
  <T extends string>(...allowed: T[]) =>
  (raw: string): T[] => {
    const items = list(raw);
    for (const item of items) {
      if (!allowed.includes(item as T)) {
        throw new EnvError(`entries must be among ${allowed.join(', ')}, got "${item}"`);
      }
    }
    if (new Set(items).size !== items.length) throw new EnvError('lists a provider twice');
    return items as T[];
  };

export const url =
  (...protocols: string[]) =>
  (raw: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      throw new EnvError('is not a valid URL');
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new EnvError(`must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
    }
    return raw.trim();
  };

/** Express/Fastify `trust proxy`: false | true | hop count | list of addresses, CIDRs or names. */
export type TrustProxy = boolean | number | string[];
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
export const trustProxy = (raw: string): TrustProxy => {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === '') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const items = list(v);
  for (const item of items) {
    const [addr, bits, ...rest] = item.split('/');
    const okAddr = PROXY_NAMES.has(item) || isIP(addr) !== 0;
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128);
    if (!okAddr || !okBits || rest.length > 0) {
      throw new EnvError(
        `"${item}" is not an address, CIDR or one of ${[...PROXY_NAMES].join(', ')}`,
      );
    }
  }
  return items;
};

export const countries = (raw: string): string[] => {
  const items = list(raw).map((c) => c.toUpperCase());
  for (const c of items) {
    if (!/^[A-Z]{2}$/.test(c)) throw new EnvError(`"${c}" is not an ISO country code`);
  }
  return items;
};

export const secret = (raw: string): string => {
  const v = raw.trim();
  if (v.length < 32) throw new EnvError('must be at least 32 characters');
  return v;
};

export const secretList = (raw: string): string[] => {
  const keys = list(raw);
  for (const k of keys) {
    if (k.length < 24) throw new EnvError('each key must be at least 24 characters');
  }
  return keys;
};
