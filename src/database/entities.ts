import { AdminAuthFailureEntity } from '../admin/admin-auth-failure.entity.js';
import { AuditAlertMarkEntity } from '../audit/alerts/audit-alert-mark.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';

// Every TypeORM entity, listed once for the app and the migration CLI.
export const ALL_ENTITIES: Function[] = [
  AuditEventEntity,
  AuditAlertMarkEntity,
  AdminAuthFailureEntity,
];
