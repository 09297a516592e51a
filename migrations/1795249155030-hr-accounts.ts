import { MigrationInterface, QueryRunner } from 'typeorm';

// hr_accounts for the HR registration and password reset flows (src/flows).
export class HrAccounts1795249155030 implements MigrationInterface {
  name = 'HrAccounts1795249155030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "hr_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "password_hash" text NOT NULL, "full_name" text NOT NULL, "company_name" text NOT NULL, "status" text NOT NULL, "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_1535e3760c2b9238a9b331c693c" UNIQUE ("email"), CONSTRAINT "CHK_hr_accounts_status" CHECK ("status" IN ('pending', 'active')), CONSTRAINT "PK_153a0a7506044262bfc3eb84fe8" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "hr_accounts"`);
  }
}
