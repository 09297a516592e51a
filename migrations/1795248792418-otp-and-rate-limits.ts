import { MigrationInterface, QueryRunner } from 'typeorm';

export class OtpAndRateLimits1795248792418 implements MigrationInterface {
  name = 'OtpAndRateLimits1795248792418';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_otps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" text, "code_hash" text, "verification_id" uuid, "code_created_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "code_attempts" integer NOT NULL DEFAULT '0', "failed_attempts" integer NOT NULL DEFAULT '0', "last_failed_at" TIMESTAMP WITH TIME ZONE, "locked_until" TIMESTAMP WITH TIME ZONE, "send_times" TIMESTAMP WITH TIME ZONE array NOT NULL DEFAULT '{}', "last_sent_at" TIMESTAMP WITH TIME ZONE, "cooldown_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" text NOT NULL, CONSTRAINT "UQ_123baa002ab017ac4f1e224775f" UNIQUE ("email"), CONSTRAINT "PK_c66a6bae8086377ae2b0f5b177e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7fe068e526c554ed9661d9f800" ON "email_otps"  ("locked_until") WHERE locked_until IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1873972aeaccb6a1cc9096899b" ON "email_otps"  ("updated_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "phone_otps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" text, "code_hash" text, "verification_id" uuid, "code_created_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "code_attempts" integer NOT NULL DEFAULT '0', "failed_attempts" integer NOT NULL DEFAULT '0', "last_failed_at" TIMESTAMP WITH TIME ZONE, "locked_until" TIMESTAMP WITH TIME ZONE, "send_times" TIMESTAMP WITH TIME ZONE array NOT NULL DEFAULT '{}', "last_sent_at" TIMESTAMP WITH TIME ZONE, "cooldown_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "phone" text NOT NULL, CONSTRAINT "UQ_b78f580ba42fec9efbbbf3b30b1" UNIQUE ("phone"), CONSTRAINT "PK_85b52fddfc8ab6d13f1a2cf48e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ed6cefc46fa4740383c9610856" ON "phone_otps"  ("locked_until") WHERE locked_until IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6c8976f6d382e7bc66dfc2bd2f" ON "phone_otps"  ("updated_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "used_tokens" ("jti" uuid NOT NULL, "kind" text NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ddaf7a45e35bc212bd7e53f9217" PRIMARY KEY ("jti"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_73c22bc65359b2ce06585d2a07" ON "used_tokens"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ip_rate_limits" ("ip" text NOT NULL, "endpoint" text NOT NULL, "count" integer NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "last_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "blocked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_9a36a1ed7f4ffea5da4f918fd6b" PRIMARY KEY ("ip", "endpoint"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f1f184386c643314d179fd42ef" ON "ip_rate_limits"  ("last_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_78144907293c3e0c7c07472b6f" ON "ip_rate_limits"  ("blocked_until") WHERE blocked_until IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_78144907293c3e0c7c07472b6f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1f184386c643314d179fd42ef"`);
    await queryRunner.query(`DROP TABLE "ip_rate_limits"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_73c22bc65359b2ce06585d2a07"`);
    await queryRunner.query(`DROP TABLE "used_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c8976f6d382e7bc66dfc2bd2f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ed6cefc46fa4740383c9610856"`);
    await queryRunner.query(`DROP TABLE "phone_otps"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1873972aeaccb6a1cc9096899b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7fe068e526c554ed9661d9f800"`);
    await queryRunner.query(`DROP TABLE "email_otps"`);
  }
}
