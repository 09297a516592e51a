import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#src/config/app-config.js';
import { Clock } from '#src/common/clock/clock.js';
import { RandomSource } from './random-source.js';

const ISSUER = 'codeward';
// The one protected header this service has ever issued (jose wrote the same bytes). Accepting only
// these bytes rules out `alg: none`, algorithm confusion and `crit` extensions without parsing.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
// Our tokens are a few hundred characters; the cap bounds the work an attacker can ask for.
export const MAX_TOKEN_LENGTH = 4096;
const SIGNATURE_BYTES = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** JWT claims (RFC 7519 §4.1) plus this service's private ones. */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  jti?: string;
  nbf?: number;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** Bytes of a canonical, unpadded base64url string (RFC 7515 §2); null for any other spelling. */
function decodeBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  // Node's decoder is lenient (it takes padding, `+`, `/` and whitespace and ignores stray low
  // bits); only the string its own bytes re-encode to is canonical.
  return bytes.toString('base64url') === text ? bytes : null;
}

/** The claims set: strict UTF-8 JSON whose top level is an object (RFC 7519 §7.2). */
function parsePayload(bytes: Buffer): JwtPayload | null {
  try {
    const parsed: unknown = JSON.parse(utf8.decode(bytes));
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    return isObject ? (parsed as JwtPayload) : null;
  } catch {
    return null;
  }
}

/** Registered claims, when present, have the types RFC 7519 gives them (finite NumericDates). */
function hasWellTypedClaims(p: JwtPayload): boolean {
  const dates = ['exp', 'iat', 'nbf'].every((c) => p[c] === undefined || Number.isFinite(p[c]));
  const strings = ['iss', 'sub', 'jti'].every(
    (c) => p[c] === undefined || typeof p[c] === 'string',
  );
  return dates && strings;
}

/**
 * HS256 JWTs signed with TOKEN_SECRET, timed by the Clock. Each kind of token has its own
 * audience, so no token is accepted as another kind. Synchronous `node:crypto` HMAC inside; the
 * methods keep their Promise signatures.
 */
@Injectable()
export class TokenSigner {
  private readonly key: KeyObject;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.key = createSecretKey(Buffer.from(config.security.tokenSecret, 'utf8'));
  }

  /** Signs `claims` for `subject` with a unique id, valid for `ttlSeconds` from now. */
  sign(
    audience: string,
    subject: string,
    claims: JwtPayload,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    try {
      return Promise.resolve(this.signNow(audience, subject, claims, ttlSeconds));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The payload of a valid, unexpired token of `audience` carrying `required` claims; else null. */
  verify(token: string, audience: string, required: string[]): Promise<JwtPayload | null> {
    return Promise.resolve(this.verifyNow(token, audience, required));
  }

  private signNow(audience: string, subject: string, claims: JwtPayload, ttlSeconds: number) {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + ttlSeconds;
    if (!Number.isFinite(exp)) throw new TypeError('Token lifetime must be a finite number');
    // Same member order as jose's SignJWT wrote, so tokens stay byte-for-byte identical.
    const payload: JwtPayload = {
      ...claims,
      iss: ISSUER,
      aud: audience,
      sub: subject,
      jti: this.random.uuid(),
      iat,
      exp,
    };
    const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const token = `${signingInput}.${this.mac(signingInput).toString('base64url')}`;
    return { token, expiresAt: new Date(exp * 1000) };
  }

  private verifyNow(token: string, audience: string, required: string[]): JwtPayload | null {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return null;
    const body = decodeBase64url(parts[1]);
    const signature = decodeBase64url(parts[2]);
    // Length first: timingSafeEqual needs equal lengths and must not leak where they differ.
    if (!body || !signature || signature.length !== SIGNATURE_BYTES) return null;
    if (!timingSafeEqual(signature, this.mac(`${parts[0]}.${parts[1]}`))) return null;
    const payload = parsePayload(body);
    if (!payload || !hasWellTypedClaims(payload)) return null;
    if (payload.iss !== ISSUER || payload.aud !== audience) return null;
    if (!required.every((claim) => Object.hasOwn(payload, claim))) return null;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (payload.nbf !== undefined && payload.nbf > now) return null;
    if (payload.exp !== undefined && payload.exp <= now) return null;
    return payload;
  }

  private mac(signingInput: string): Buffer {
    return createHmac('sha256', this.key).update(signingInput).digest();
  }
}
