import { Column, Entity } from 'typeorm';
import { OtpRowColumns } from './otp-row.entity.js';

@Entity({ name: 'email_otps' })
export class EmailOtpEntity extends OtpRowColumns {
  /** Trimmed, lower-cased address; unique, so one live code per recipient. */
  @Column({ type: 'text', unique: true })
  email!: string;
}
