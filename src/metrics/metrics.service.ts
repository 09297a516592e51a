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

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }
}
