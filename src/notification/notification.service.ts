import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { EmailProviderChain, SmsProviderChain } from './provider-chain.js';
import {
  DeliveryError,
  type DeliveryResult,
  type OtpMessageRequest,
  type ProviderOutcome,
} from './notification.types.js';
import { renderOtpEmail, renderOtpSms } from './templates/otp-templates.js';

interface Sender {
  readonly name: string;
  send(signal: AbortSignal): Promise<{ providerMessageId: string }>;
}

/** Delivers messages through the configured providers in order, each under NOTIFY_TIMEOUT_MS. */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly sms: SmsProviderChain,
    private readonly email: EmailProviderChain,
    private readonly metrics: MetricsService,
  ) {}

  sendOtp(req: OtpMessageRequest): Promise<DeliveryResult> {
    const product = this.config.notify.productName;
    if (req.channel === 'sms') {
      const text = renderOtpSms(req, product);
      return this.deliver(
        this.sms.providers.map((p) => ({
          name: p.name,
          send: (s: AbortSignal) =>
            p.send({ to: req.to, text, idempotencyKey: req.idempotencyKey }, s),
        })),
      );
    }
    const mail = renderOtpEmail(req, product);
    return this.deliver(
      this.email.providers.map((p) => ({
        name: p.name,
        send: (s: AbortSignal) =>
          p.send({ to: req.to, ...mail, idempotencyKey: req.idempotencyKey }, s),
      })),
    );
  }

  private async deliver(senders: Sender[]): Promise<DeliveryResult> {
    const outcomes: ProviderOutcome[] = [];
    for (const sender of senders) {
      const outcome = await this.attempt(sender);
      outcomes.push(outcome);
      this.metrics.providerSends.inc({ provider: sender.name, outcome: outcome.status });
      if (outcome.ok) {
        return {
          delivered: true,
          provider: sender.name,
          providerMessageId: outcome.providerMessageId,
          outcomes,
        };
      }
      this.logger.warn(
        { provider: sender.name, status: outcome.status, error: outcome.error },
        'provider failed',
      );
      if (outcome.status === 'rejected') break; // the recipient itself is invalid: another vendor would not help
    }
    return { delivered: false, outcomes };
  }

  private async attempt(sender: Sender): Promise<ProviderOutcome> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TimeoutError());
      }, this.config.notify.timeoutMs);
    });
    try {
      const { providerMessageId } = await Promise.race([sender.send(controller.signal), deadline]);
      return {
        provider: sender.name,
        ok: true,
        status: 'accepted',
        providerMessageId,
        durationMs: performance.now() - started,
      };
    } catch (err) {
      const durationMs = performance.now() - started;
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
      const error = (err as Error).message?.slice(0, 300) ?? 'unknown error';
      return {
        provider: sender.name,
        ok: false,
        status: retryable ? 'failed' : 'rejected',
        error,
        durationMs,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

class TimeoutError extends Error {}
