import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { AppConfig } from '#src/config/app-config.js';
import { BreakerCounter } from './breaker-counter.js';
import { BreakerStates } from './breaker-states.js';
import {
  SmsBreakerRepository,
  type BreakerRow,
  type PrefixCounts,
} from './sms-breaker.repository.js';

const later = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);

/**
 * The per-destination breaker's state machine: closed -> open (the prefix stopped converting)
 * -> half-open after SMS_BREAKER_OPEN_SECONDS (a few probe sends) -> closed when they convert,
 * open again when they do not within a code's lifetime. Transitions are conditional statements on
 * `sms_breakers`, so each happens once whatever the number of instances; the one that made it
 * audits it (sms.breaker_opened / sms.breaker_closed, which also raise an alert).
 */
@Injectable()
export class SmsBreaker {
  private readonly logger = new Logger('SmsBreaker');

  constructor(
    private readonly config: AppConfig,
    private readonly repo: SmsBreakerRepository,
    private readonly states: BreakerStates,
    private readonly counter: BreakerCounter,
    private readonly audit: AuditService,
  ) {}

  /** Null when a send to the prefix may go now; otherwise until when it is suspended. */
  async admit(prefix: string, now: Date): Promise<Date | null> {
    const known = await this.states.get(prefix, now);
    if (!known) return null;
    if (known.state === 'open' && known.openUntil > now) return known.openUntil;
    const rules = this.config.smsGuard;
    if (
      known.state === 'half_open' &&
      known.probeSends >= rules.probeSends &&
      known.probeUntil &&
      known.probeUntil > now
    ) {
      return known.probeUntil; // every probe is out; waiting for them to convert
    }
    // Past the open period: a probe, if one is left.
    const probe = await this.repo.claimProbe(
      prefix,
      now,
      later(now, this.config.otp.ttlSeconds),
      rules.probeSends,
    );
    if (probe) {
      this.states.put(probe);
      return null;
    }
    let row = await this.repo.find(prefix);
    if (row?.state === 'half_open' && row.probeUntil && row.probeUntil <= now) {
      // The probe period ended without a conversion: open again.
      const reopened = await this.repo.reopen(prefix, now, later(now, rules.openSeconds));
      if (reopened) await this.opened(reopened, true);
      row = reopened ?? (await this.repo.find(prefix));
    }
    if (!row || row.state === 'closed') {
      this.states.remove(prefix);
      return null;
    }
    this.states.put(row);
    if (row.state === 'open') return row.openUntil > now ? row.openUntil : later(now, 1);
    return row.probeUntil && row.probeUntil > now ? row.probeUntil : later(now, 1);
  }

  /** After a send was counted: opens the breaker when the prefix stopped converting. */
  async judge(prefix: string, counts: PrefixCounts, now: Date): Promise<void> {
    const rules = this.config.smsGuard;
    if (counts.sends < rules.minSends) return;
    if (counts.verified / counts.sends >= rules.minConversion) return;
    if (this.states.peek(prefix)) return; // already open or probing
    const row = await this.repo.open(prefix, now, later(now, rules.openSeconds), counts);
    if (row) await this.opened(row, false);
    else await this.states.reload(); // another instance opened it first
  }

  /** A code to a (possibly) half-open prefix was verified: closes it when the probes converted. */
  async probeVerified(prefix: string, now: Date): Promise<void> {
    const row = await this.repo.probeVerified(prefix, now, this.config.smsGuard.minConversion);
    if (!row) return;
    this.states.put(row);
    if (row.state === 'closed') await this.closed(row, 'probes_converted');
  }

  /** Admin: closes a prefix's breaker at once. True when it was open or half-open. */
  async close(prefix: string, now: Date, meta: RequestMetaData): Promise<boolean> {
    const row = await this.repo.close(prefix, now);
    this.states.remove(prefix);
    if (!row) return false;
    await this.closed(row, 'admin', meta);
    return true;
  }

  list(): Promise<BreakerRow[]> {
    return this.repo.listActive();
  }

  private async opened(row: BreakerRow, reopened: boolean): Promise<void> {
    this.states.put(row);
    await this.counter.reset(row.prefix);
    const details = reopened
      ? { prefix: row.prefix, openUntil: row.openUntil, reason: 'probes_not_converted' }
      : {
          prefix: row.prefix,
          openUntil: row.openUntil,
          reason: 'low_conversion',
          sends: row.sends,
          verified: row.verified,
          conversion: row.sends > 0 ? Math.round((row.verified / row.sends) * 1000) / 1000 : 0,
        };
    this.logger.warn(details, 'sms breaker opened');
    await this.audit.record({ type: 'sms.breaker_opened', channel: 'sms', details });
  }

  private async closed(row: BreakerRow, by: string, meta?: RequestMetaData): Promise<void> {
    await this.counter.reset(row.prefix);
    const details = {
      prefix: row.prefix,
      reason: by,
      probeSends: row.probeSends,
      probeVerified: row.probeVerified,
    };
    this.logger.warn(details, 'sms breaker closed');
    await this.audit.record({
      type: 'sms.breaker_closed',
      channel: 'sms',
      ip: meta?.ip,
      userAgent: meta?.userAgent,
      requestId: meta?.requestId,
      details,
    });
  }
}
