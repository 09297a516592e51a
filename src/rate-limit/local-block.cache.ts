import { Injectable } from '@nestjs/common';

// How long this process trusts what it saw: an unlock made on another instance reaches this one
// within this time (on this instance, at once).
const FRESH_MS = 1_000;
const MAX_ENTRIES = 100_000;

interface Entry {
  until: number;
  seenAt: number;
}

/**
 * Blocks this process has just seen, keyed `<endpoint>|<ip>`, so a flood from a blocked address
 * is refused before body parsing, validation and any Redis or PostgreSQL round trip. `until` is
 * in the app clock's time; freshness is in real time.
 */
@Injectable()
export class LocalBlockCache {
  private readonly entries = new Map<string, Entry>();

  remember(key: string, until: number): void {
    this.entries.delete(key);
    this.entries.set(key, { until, seenAt: performance.now() });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The block's end (app-clock ms) while the entry is fresh and the block not over. */
  get(key: string, now: number): number | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now || performance.now() - e.seenAt > FRESH_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e.until;
  }

  forgetIp(ip: string): void {
    for (const key of this.entries.keys()) if (key.endsWith(`|${ip}`)) this.entries.delete(key);
  }
}
