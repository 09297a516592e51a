import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import { Clock } from '#src/common/clock/clock.js';
import { AppError } from '#src/common/errors/app-error.js';
import { retryAfterUntil } from '#src/common/errors/retry-after.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer, type Recipient } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { BreakerCounter } from './breaker-counter.js';
import { BreakerStates } from './breaker-states.js';
import { breakerPrefix, destinationOf, type Destination } from './destination.js';
import { numberRefusal } from './number-type.policy.js';
import { SmsBreaker } from './sms-breaker.js';

/**
 * The SMS fraud defence, called by OtpService and OtpVerifyService: refuses number types the
 * operator does not allow (premium rate, satellite, ...) and destination prefixes whose breaker is
 * open, and counts codes sent and verified per prefix. The breaker never fails a send: when its
 * stores fail it lets the send through (fails open).
 */
@Injectable()
export class SmsGuardService {
  private readonly logger = new Logger('SmsGuard');
  private lastWarn = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly counter: BreakerCounter,
    private readonly states: BreakerStates,
    private readonly breaker: SmsBreaker,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly normalizer: RecipientNormalizer,
  ) {}

  /** Before a code is claimed: NUMBER_TYPE_NOT_ALLOWED or DESTINATION_SUSPENDED, or nothing. */
  async check(recipient: Recipient, purpose: string, meta: RequestMetaData): Promise<void> {
    const destination = this.smsDestination(recipient);
    if (!destination) return;
    const reason = numberRefusal(destination, this.config.smsGuard);
    if (reason) {
      this.metrics.smsRefusals.inc({ reason });
      await this.audit.record({
        type: 'sms.number_refused',
        channel: 'sms',
        purpose,
        recipient: recipient.value,
        ip: meta.ip,
        userAgent: meta.userAgent,
        requestId: meta.requestId,
        details: {
          numberType: destination.type,
          country: destination.country ?? null,
          region: destination.country ?? '001',
          reason,
        },
      });
      throw new AppError(
        'NUMBER_TYPE_NOT_ALLOWED',
        reason === 'non_geographic'
          ? 'Codes are not sent to numbers of no country (satellite and international networks)'
          : `Codes are not sent to ${destination.type.toLowerCase().replace(/_/g, ' ')} numbers`,
      );
    }
    if (!this.breakerApplies(destination)) return;
    let suspendedUntil: Date | null;
    try {
      suspendedUntil = await this.breaker.admit(destination.prefix, this.clock.now());
    } catch (err) {
      this.warn(err);
      return;
    }
    if (suspendedUntil) {
      this.metrics.smsRefusals.inc({ reason: 'destination_suspended' });
      const retryAfter = retryAfterUntil(suspendedUntil, this.clock.now());
      throw new AppError(
        'DESTINATION_SUSPENDED',
        `Codes to this destination are suspended; try again in ${retryAfter} s`,
        { retryAfter },
      );
    }
  }

  /** After a code was delivered: counts it, and opens the prefix's breaker when it stopped converting. */
  async recordSend(recipient: Recipient): Promise<void> {
    const destination = this.smsDestination(recipient);
    if (!destination || !this.breakerApplies(destination)) return;
    try {
      const now = this.clock.now();
      const counts = await this.counter.countSend(destination.prefix, now);
      if (counts) await this.breaker.judge(destination.prefix, counts, now);
    } catch (err) {
      this.warn(err);
    }
  }

  /**
   * After a successful verification: buffered in memory (no round trip on the verify path); a
   * half-open breaker of the prefix is judged in the background.
   */
  recordVerified(recipient: Recipient): void {
    const destination = this.smsDestination(recipient);
    if (!destination || !this.breakerApplies(destination)) return;
    this.counter.noteVerified(destination.prefix);
    const known = this.states.peek(destination.prefix);
    if (known && (known.state === 'half_open' || known.openUntil <= this.clock.now())) {
      this.breaker.probeVerified(destination.prefix, this.clock.now()).catch((err: unknown) => {
        this.warn(err);
      });
    }
  }

  /** Open and half-open breakers, for GET /v1/admin/blocks. */
  async listBreakers(): Promise<
    { prefix: string; state: 'open' | 'half_open'; openUntil: Date; probeUntil: Date | null }[]
  > {
    const now = this.clock.now();
    const rows = await this.breaker.list();
    return rows.map((r) => ({
      prefix: r.prefix,
      // Past its open period a breaker waits for its first probe: it is half-open in effect.
      state: r.state === 'open' && r.openUntil > now ? 'open' : 'half_open',
      openUntil: r.openUntil,
      probeUntil: r.probeUntil,
    }));
  }

  /** Admin: closes the breaker of a prefix (or of the prefix a phone number falls in). */
  async closeBreaker(
    destination: string,
    meta: RequestMetaData,
  ): Promise<{ prefix: string; wasOpen: boolean }> {
    const prefix = this.prefixOf(destination);
    const wasOpen = await this.breaker.close(prefix, this.clock.now(), meta);
    return { prefix, wasOpen };
  }

  /** The prefix a phone number (or a prefix typed as `+99890`) falls in, for admins. */
  prefixOf(destination: string): string {
    const compact = destination.replace(/[\s\-()]/g, '');
    const digits = `+${compact.replace(/^\+/, '')}`;
    const phone = this.normalizer.international(digits)?.phone;
    return phone ? breakerPrefix(phone, this.config.smsGuard.prefixDigits) : digits;
  }

  // From what the normalizer found when it parsed the number: no parse here.
  private smsDestination(recipient: Recipient): Destination | null {
    if (recipient.channel !== 'sms') return null;
    return destinationOf(recipient, this.config.smsGuard.prefixDigits);
  }

  private breakerApplies(destination: Destination): boolean {
    const rules = this.config.smsGuard;
    return rules.breaker && !rules.allowPrefixes.some((p) => destination.e164.startsWith(p));
  }

  private warn(err: unknown): void {
    if (Date.now() - this.lastWarn > 5_000) {
      this.lastWarn = Date.now();
      this.logger.warn(`breaker unavailable, failing open: ${(err as Error).message}`);
    }
  }
}
