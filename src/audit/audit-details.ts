import { maskEmail, maskPhone } from '#src/common/logging/mask.js';
import { SECRET_DETAIL_KEY } from './audit.types.js';

const CONTACT_KEY = /^(to|phone|email|recipient)$/i;
const MAX_DEPTH = 4;
const MAX_STRING = 512;

export interface ScrubResult {
  details: Record<string, unknown>;
  /** Dotted paths of the keys that were dropped as secrets. */
  dropped: string[];
}

/**
 * What may be written to `details`: secret-looking keys dropped at any depth, contact values
 * masked, strings capped, nesting bounded.
 */
export function scrubDetails(input: Record<string, unknown> | undefined): ScrubResult {
  const dropped: string[] = [];
  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'string') return value.slice(0, MAX_STRING);
    if (value instanceof Date) return value.toISOString();
    if (depth >= MAX_DEPTH || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      return value.slice(0, 50).map((v, i) => walk(v, `${path}[${i}]`, depth + 1));
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (SECRET_DETAIL_KEY.test(key)) {
        dropped.push(at);
        continue;
      }
      if (CONTACT_KEY.test(key) && typeof v === 'string') {
        out[key] = v.includes('@') ? maskEmail(v) : maskPhone(v);
        continue;
      }
      const w = walk(v, at, depth + 1);
      if (w !== undefined) out[key] = w;
    }
    return out;
  };
  return { details: (walk(input ?? {}, '', 0) as Record<string, unknown>) ?? {}, dropped };
}
