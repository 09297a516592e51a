import { MigrationInterface, QueryRunner } from 'typeorm';

// The SMS-pumping breaker (src/sms-guard): its state per destination prefix, and the rolling
// counts used when Redis is not configured.
export class SmsBreakers1796035012005 implements MigrationInterface {
  name = 'SmsBreakers1796035012005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sms_breaker_counts" ("prefix" text NOT NULL, "bucket" bigint NOT NULL, "sends" integer NOT NULL DEFAULT '0', "verified" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_65ef57edfc477dd17124f57a48e" PRIMARY KEY ("prefix", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sms_breakers" ("prefix" text NOT NULL, "state" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "open_until" TIMESTAMP WITH TIME ZONE NOT NULL, "probe_until" TIMESTAMP WITH TIME ZONE, "probe_sends" integer NOT NULL DEFAULT '0', "probe_verified" integer NOT NULL DEFAULT '0', "sends" integer NOT NULL DEFAULT '0', "verified" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_sms_breakers_state" CHECK ("state" IN ('open', 'half_open', 'closed')), CONSTRAINT "PK_237463126187fe9baf7fa48f2b7" PRIMARY KEY ("prefix"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sms_breakers"`);
    await queryRunner.query(`DROP TABLE "sms_breaker_counts"`);
  }
}
