import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import {
  HrEmailDto,
  PASSWORD_MAX,
  PASSWORD_MIN,
} from '#src/accounts/dto/hr-account-request.dto.js';
import { HrCodeDto } from '#src/flows/common/dto/hr-code.dto.js';

export class PasswordResetRequestDto extends HrEmailDto {}

export class PasswordResetCodeDto extends HrCodeDto {}

export class PasswordResetCompleteDto {
  @ApiProperty({
    description: 'The resetToken from /v1/password-reset/verify (works once)',
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaCI6ImVtYWlsIiwicHVyIjoicGFzc3dvcmRfcmVzZXQifQ…',
    maxLength: 4096,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  resetToken!: string;

  @ApiProperty({
    description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters, no composition rules (NIST SP 800-63B)`,
    example: 'a new long passphrase',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
  })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  newPassword!: string;
}
