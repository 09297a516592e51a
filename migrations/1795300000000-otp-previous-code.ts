import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The replaced code's hash, purpose, send id and expiry on each recipient row; and room on every
 * page (fillfactor 70) so that the verify statement's update of a row can stay on its page and
 * skip the indexes (a HOT update: it changes no indexed column).
 */
export class OtpPreviousCode1795300000000 implements MigrationInterface {
  name = 'OtpPreviousCode1795300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['email_otps', 'phone_otps']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "previous_code_hash" text, ADD "previous_purpose" text, ADD "previous_verification_id" uuid, ADD "previous_expires_at" TIMESTAMP WITH TIME ZONE`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" SET (fillfactor = 70)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['email_otps', 'phone_otps']) {
      await queryRunner.query(`ALTER TABLE "${table}" RESET (fillfactor)`);
      await queryRunner.query(
        `ALTER TABLE "${table}" DROP COLUMN "previous_expires_at", DROP COLUMN "previous_verification_id", DROP COLUMN "previous_purpose", DROP COLUMN "previous_code_hash"`,
      );
    }
  }
}
