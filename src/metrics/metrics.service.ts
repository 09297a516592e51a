import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus registry for the process: default Node metrics, HTTP metrics, and domain counters. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly otpEvents = new Counter({
    name: 'codeward_otp_events_total',
    help: 'OTP outcomes by channel and type (sent, delivery_failed, verified, verify_failed, locked)',
    labelNames: ['channel', 'type'] as const,
    registers: [this.registry],
  });
  readonly providerSends = new Counter({
    name: 'codeward_provider_sends_total',
    help: 'Provider send attempts by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly smsBreakersOpen = new Gauge({
    name: 'codeward_sms_breakers_open',
    help: 'Destination prefixes whose SMS-pumping breaker is open or half-open',
    registers: [this.registry],
  });

  readonly smsRefusals = new Counter({
    name: 'codeward_sms_refusals_total',
    help: 'SMS sends refused by the fraud defence, by reason (number_type, non_geographic, destination_suspended)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly otpSendAttempts = new Counter({
    name: 'codeward_otp_send_attempts_total',
    help: 'OTP sends attempted (valid requests that reached the send logic), by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly providerDeliveries = new Counter({
    name: 'codeward_provider_deliveries_total',
    help: 'Messages handed to a provider, by channel, provider and outcome (accepted, failed, timeout, rejected)',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly providerDeliveryDuration = new Histogram({
    name: 'codeward_provider_delivery_duration_seconds',
    help: 'Time a provider took to accept or refuse a message, by channel, provider and outcome',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [this.registry],
  });
  readonly verifyAttempts = new Counter({
    name: 'codeward_otp_verify_attempts_total',
    help: 'Verification attempts that reached a code, by channel, attempt (first or later on that code) and result',
    labelNames: ['channel', 'attempt', 'result'] as const,
    registers: [this.registry],
  });
  readonly fastPathLookups = new Counter({
    name: 'codeward_otp_fast_path_lookups_total',
    help: 'Recipient block cache lookups on the send and verify fast path, by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** One provider's answer to one message. */
  observeDelivery(
    channel: string,
    outcome: { provider: string; status: string; durationMs: number },
  ): void {
    const labels = { channel, provider: outcome.provider, outcome: outcome.status };
    this.providerDeliveries.inc(labels);
    this.providerDeliveryDuration.observe(labels, outcome.durationMs / 1000);
  }

  /** A verification attempt on a code: `attempt` is 1 for the code's first attempt. */
  observeVerify(channel: string, attempt: number, verified: boolean): void {
    this.verifyAttempts.inc({
      channel,
      attempt: attempt <= 1 ? 'first' : 'later',
      result: verified ? 'verified' : 'failed',
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }
}
