import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Locale } from '#src/config/app-config.js';
import { AppConfig } from '#src/config/app-config.js';
import { maskRecipient } from '#src/common/logging/mask.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { EmailProviderChain, SmsProviderChain } from './provider-chain.js';
import {
  DeliveryError,
  type Channel,
  type DeliveryResult,
  type OtpMessageRequest,
  type ProviderOutcome,
} from './notification.types.js';
import { NotificationTemplates } from './templates/notification-templates.js';

interface Sender {
  readonly name: string;
  send(signal: AbortSignal): Promise<{ providerMessageId: string }>;
}

/** What a delivery may never write to a log line or an outcome: the code and the recipient. */
interface Secrets {
  channel: Channel;
  to: string;
  code?: string;
}

/**
 * Delivers messages through the configured providers in order, each under NOTIFY_TIMEOUT_MS.
 * Each provider gets a message at most once; a timeout or vendor failure moves on to the next
 * provider, a rejected recipient stops the chain.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly sms: SmsProviderChain,
    private readonly email: EmailProviderChain,
    private readonly metrics: MetricsService,
    private readonly templates: NotificationTemplates,
  ) {}

  sendOtp(req: OtpMessageRequest): Promise<DeliveryResult> {
    const secrets: Secrets = { channel: req.channel, to: req.to, code: req.code };
    if (req.channel === 'sms') {
      const text = this.templates.otpSms(req);
      const message = { to: req.to, text, idempotencyKey: req.idempotencyKey };
      return this.deliver(
        this.sms.providers.map((p) => ({ name: p.name, send: (s) => p.send(message, s) })),
        secrets,
      );
    }
    const mail = this.templates.otpEmail(req);
    const message = { to: req.to, ...mail, idempotencyKey: req.idempotencyKey };
    return this.deliver(
      this.email.providers.map((p) => ({ name: p.name, send: (s) => p.send(message, s) })),
      secrets,
    );
  }

  /** Tells an account holder by email that their password was changed. Carries no code. */
  sendPasswordChangedNotice(to: string, locale: Locale): Promise<DeliveryResult> {
    const message = {
      to,
      ...this.templates.passwordChangedEmail(locale),
      idempotencyKey: randomUUID(),
    };
    return this.deliver(
      this.email.providers.map((p) => ({ name: p.name, send: (s) => p.send(message, s) })),
      { channel: 'email', to },
    );
  }

  private async deliver(senders: Sender[], secrets: Secrets): Promise<DeliveryResult> {
    const outcomes: ProviderOutcome[] = [];
    const tried = new Set<string>();
    for (const sender of senders) {
      if (tried.has(sender.name)) continue; // never the same message twice through one provider
      tried.add(sender.name);
      const outcome = await this.attempt(sender, secrets);
      outcomes.push(outcome);
      this.metrics.providerSends.inc({ provider: sender.name, outcome: outcome.status });
      this.metrics.observeDelivery(secrets.channel, outcome);
      this.logOutcome(outcome, secrets);
      if (outcome.ok) {
        return {
          delivered: true,
          provider: sender.name,
          providerMessageId: outcome.providerMessageId,
          outcomes,
        };
      }
      if (outcome.status === 'rejected') break; // the recipient itself is invalid: another vendor would not help
    }
    return { delivered: false, outcomes };
  }

  private async attempt(sender: Sender, secrets: Secrets): Promise<ProviderOutcome> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new TimeoutError();
        controller.abort(err);
        reject(err);
      }, this.config.notify.timeoutMs);
    });
    try {
      const sending = Promise.resolve().then(() => sender.send(controller.signal));
      const { providerMessageId } = await Promise.race([sending, deadline]);
      return {
        provider: sender.name,
        ok: true,
        status: 'accepted',
        providerMessageId,
        durationMs: elapsed(started),
      };
    } catch (err) {
      const durationMs = elapsed(started);
      if (err instanceof TimeoutError) {
        return {
          provider: sender.name,
          ok: false,
          status: 'timeout',
          error: 'timed out',
          durationMs,
        };
      }
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      return {
        provider: sender.name,
        ok: false,
        status: retryable ? 'failed' : 'rejected',
        error: scrub(errorText(err), secrets),
        durationMs,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private logOutcome(outcome: ProviderOutcome, secrets: Secrets): void {
    const line = {
      channel: secrets.channel,
      recipient: maskRecipient(secrets.channel, secrets.to),
      provider: outcome.provider,
      status: outcome.status,
      durationMs: outcome.durationMs,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {}),
    };
    if (outcome.ok) this.logger.log(line, 'provider accepted the message');
    else this.logger.warn(line, 'provider failed');
  }
}

class TimeoutError extends Error {
  constructor() {
    super('timed out');
  }
}

const elapsed = (started: number): number => Math.round(performance.now() - started);

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message || 'unknown error').slice(0, 300);
}

/** Vendors sometimes echo what they were sent; keep the code and the recipient out of outcomes. */
function scrub(text: string, secrets: Secrets): string {
  const masked = maskRecipient(secrets.channel, secrets.to);
  let out = text.split(secrets.to).join(masked);
  if (secrets.channel === 'sms') out = out.split(secrets.to.replace(/^\+/, '')).join(masked);
  if (secrets.code) out = out.split(secrets.code).join('[code]');
  return out;
}
