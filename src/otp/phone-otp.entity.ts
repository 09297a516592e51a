import { Column, Entity } from 'typeorm';
import { OtpRowColumns } from './otp-row.entity.js';

@Entity({ name: 'phone_otps' })
export class PhoneOtpEntity extends OtpRowColumns {
  /** E.164; unique, so one live code per recipient. */
  @Column({ type: 'text', unique: true })
  phone!: string;
}
