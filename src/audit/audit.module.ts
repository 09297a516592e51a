import { Module } from '@nestjs/common';
import { AlertWebhookNotifier } from './alerts/alert-webhook.notifier.js';
import { AlertEvaluator } from './alerts/alert.evaluator.js';
import { AlertRepository } from './alerts/alert.repository.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditRetentionJob } from './audit-retention.job.js';
import { AuditService } from './audit.service.js';

/**
 * The append-only audit trail, its alert rules and retention. Other modules write through
 * AuditService and read through AuditQueryService.
 */
@Module({
  providers: [
    AuditEventRepository,
    AlertRepository,
    AlertWebhookNotifier,
    AlertEvaluator,
    AuditService,
    AuditQueryService,
    AuditRetentionJob,
  ],
  exports: [AuditService, AuditQueryService],
})
export class AuditModule {}
