import type { HitResult } from './rate-limit.types.js';

export interface ActiveBlock {
  ip: string;
  endpoint: string;
  blockedUntil: Date;
  count: number;
}

/**
 * The rate limiter's storage port, in the spirit of the throttler's one-method storage: count one
 * request of a client (`ip`, its client key) on an endpoint at `now`, within a window of `ttlMs`;
 * past `limit` the client is blocked for `blockMs`. One atomic step per hit, whatever the store.
 * RateLimitStore composes the two adapters below; it knows them only through these ports.
 */
export abstract class RateLimitCounter {
  abstract hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<HitResult>;
}

/**
 * A shared, fast counter that may be away or may have lost its keys (Redis): `available` says
 * whether to ask it, a probing hit lets a block the durable store still holds be restored first.
 */
export abstract class VolatileRateLimitCounter extends RateLimitCounter {
  abstract readonly available: boolean;

  abstract override hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<HitResult>;
  /** With `probe`, a key the counter does not hold is not counted: the answer is null. */
  abstract override hit(
    ip: string,
    endpoint: string,
    now: Date,
    ttlMs: number,
    limit: number,
    blockMs: number,
    probe: boolean,
  ): Promise<HitResult | null>;

  /**
   * The unblock epoch: it moves on every `clear`. A restore reads it before reading the durable
   * blocks, and each seed applies only while it is unchanged, so a block lifted meanwhile is not
   * brought back.
   */
  abstract unblockEpoch(): Promise<string>;

  /** Restores a block known to the durable counter, unless the unblock epoch has moved on. */
  abstract seedBlock(
    ip: string,
    endpoint: string,
    now: Date,
    blockedUntil: Date,
    count: number,
    epoch: string,
  ): Promise<boolean>;

  /**
   * Says every durable block was restored (for `ttlMs`, unless the epoch has moved on): until it
   * lapses or is forgotten, a key the counter does not hold is a fresh client, and a probing hit
   * counts it at once instead of answering null.
   */
  abstract markRestored(epoch: string, ttlMs: number): Promise<boolean>;

  /** Drops that mark (the durable counter decided blocks the volatile one never saw). */
  abstract forgetRestored(): Promise<void>;

  /** Forgets the client's counters on these endpoints, and moves the unblock epoch on. */
  abstract clear(ip: string, endpoints: string[]): Promise<void>;
}

/**
 * The durable counter (PostgreSQL), and the record of every block wherever it was decided, so
 * admins can list blocks and they survive a flush of the volatile counter.
 */
export abstract class DurableRateLimitCounter extends RateLimitCounter {
  /** Persists a block decided by the volatile counter. */
  abstract recordBlock(
    ip: string,
    endpoint: string,
    now: Date,
    blockedUntil: Date,
    count: number,
  ): Promise<void>;

  /** The end of the client's block on the endpoint, or null when it is not blocked at `now`. */
  abstract findBlock(ip: string, endpoint: string, now: Date): Promise<Date | null>;

  /** The blocks standing at `now`, in key order after `after`, at most `limit` of them. */
  abstract activeBlocks(
    now: Date,
    after: { ip: string; endpoint: string } | null,
    limit: number,
  ): Promise<ActiveBlock[]>;

  /** Clears the client's counters and blocks on every endpoint; returns the endpoints it had. */
  abstract unblock(ip: string, now: Date): Promise<string[]>;
}
