import { MigrationInterface, QueryRunner } from 'typeorm';

// hr_registration_attempts (each registration's credentials, kept apart from hr_accounts until
// its own code is verified) and login_throttles (failed logins per email).
export class RegistrationAttemptsAndLoginThrottles1796034990072 implements MigrationInterface {
  name = 'RegistrationAttemptsAndLoginThrottles1796034990072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "hr_registration_attempts" ("verification_id" uuid NOT NULL, "email" text NOT NULL, "password_hash" text NOT NULL, "full_name" text NOT NULL, "company_name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2785441e309b8659bb29105e47c" PRIMARY KEY ("verification_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_095cbe0e1047b974bb24539a73" ON "hr_registration_attempts"  ("email") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a186db42b366b393f32638b90f" ON "hr_registration_attempts"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "login_throttles" ("email" text NOT NULL, "failures" integer NOT NULL, "last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f68410cc6124d967bf665a1b81d" PRIMARY KEY ("email"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e6d42ed3047a88b1ca49cbf657" ON "login_throttles"  ("last_failed_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_e6d42ed3047a88b1ca49cbf657"`);
    await queryRunner.query(`DROP TABLE "login_throttles"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a186db42b366b393f32638b90f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_095cbe0e1047b974bb24539a73"`);
    await queryRunner.query(`DROP TABLE "hr_registration_attempts"`);
  }
}
