import { ApiProperty } from '@nestjs/swagger';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import { CHANNELS } from './otp-request.dto.js';

export class OtpSendResponseDto {
  @ApiProperty({ format: 'uuid' })
  verificationId!: string;

  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({ description: 'Masked recipient', example: '+998*******67' })
  to!: string;

  @ApiProperty({ example: 'login' })
  purpose!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'No new code for this recipient before this time',
  })
  resendAfter!: string;
}

export class OtpVerifyResponseDto {
  @ApiProperty({ example: true })
  verified!: true;

  @ApiProperty({ description: 'Single-use proof of verification for /v1/otp/tokens/consume' })
  verificationToken!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class OtpConsumeResponseDto {
  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({
    description: 'Normalised recipient (E.164 or lower-case email)',
    example: '+998901234567',
  })
  to!: string;

  @ApiProperty({ example: 'hr_registration' })
  purpose!: string;

  @ApiProperty({ format: 'date-time' })
  verifiedAt!: string;
}
