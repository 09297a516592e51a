import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Channel } from '#src/common/recipient/recipient-normalizer.js';
import type { Locale } from '#src/config/app-config.js';

export const CHANNELS: Channel[] = ['sms', 'email'];
export const LOCALES: Locale[] = ['en', 'ru', 'uz'];

export class OtpRecipientDto {
  @ApiProperty({ enum: CHANNELS, example: 'sms' })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({
    description: 'Phone number (any common spelling; normalised to E.164) or email address',
    example: '+998 90 123 45 67',
    maxLength: 254,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  to!: string;

  @ApiProperty({ description: 'One of OTP_PURPOSES', example: 'login', maxLength: 40 })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'purpose must be a snake_case name' })
  purpose!: string;
}

export class OtpSendDto extends OtpRecipientDto {
  @ApiPropertyOptional({ enum: LOCALES, description: 'Message language; default DEFAULT_LOCALE' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class OtpVerifyDto extends OtpRecipientDto {
  @ApiProperty({ description: 'The code received', example: '042917', pattern: '^[0-9]{1,10}$' })
  @IsString()
  @Matches(/^\d{1,10}$/, { message: 'code must be a string of 1 to 10 digits' })
  code!: string;
}

export class OtpConsumeDto {
  @ApiProperty({ description: 'The verificationToken returned by /v1/otp/verify', maxLength: 4096 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  verificationToken!: string;

  @ApiProperty({ example: 'hr_registration', maxLength: 40 })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'purpose must be a snake_case name' })
  purpose!: string;
}
