import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEvents1795248735936 implements MigrationInterface {
  name = 'AuditEvents1795248735936';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "admin_auth_failures" ("ip" text NOT NULL, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "failures" integer NOT NULL, CONSTRAINT "PK_fdf2a5b50e3d698efe54d1b854e" PRIMARY KEY ("ip"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_alert_marks" ("rule" text NOT NULL, "subject" text NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_fd73f3c01acb02b562c96c3146d" PRIMARY KEY ("rule", "subject"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "type" text NOT NULL, "channel" text, "purpose" text, "ip" text, "user_agent" text, "request_id" text, "recipient_hash" text, "recipient_masked" text, "details" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_ip_occurred_at" ON "audit_events"  ("ip", "occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_recipient_occurred_at" ON "audit_events"  ("recipient_hash", "occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_type_occurred_at" ON "audit_events"  ("type", "occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_occurred_at" ON "audit_events"  ("occurred_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_type_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_recipient_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_ip_occurred_at"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP TABLE "audit_alert_marks"`);
    await queryRunner.query(`DROP TABLE "admin_auth_failures"`);
  }
}
