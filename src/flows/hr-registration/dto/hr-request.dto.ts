import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
const NAME_MAX = 200;

/** Any address spelling; trimmed and lower-cased by the service (INVALID_RECIPIENT if not an email). */
export class HrEmailDto {
  @ApiProperty({ example: 'jane.doe@acme.example', maxLength: 254 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email!: string;
}

export class HrRegisterDto extends HrEmailDto {
  @ApiProperty({
    description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters, no composition rules (NIST SP 800-63B)`,
    example: 'correct horse battery staple',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
  })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password!: string;

  @ApiProperty({ example: 'Jane Doe', maxLength: NAME_MAX })
  @IsString()
  @Matches(/\S/, { message: 'fullName must not be blank' })
  @MaxLength(NAME_MAX)
  fullName!: string;

  @ApiProperty({ example: 'Acme LLC', maxLength: NAME_MAX })
  @IsString()
  @Matches(/\S/, { message: 'companyName must not be blank' })
  @MaxLength(NAME_MAX)
  companyName!: string;
}

export class HrCodeDto extends HrEmailDto {
  @ApiProperty({
    description: 'The code from the email',
    example: '042917',
    pattern: '^[0-9]{1,10}$',
  })
  @IsString()
  @Matches(/^\d{1,10}$/, { message: 'code must be a string of 1 to 10 digits' })
  code!: string;
}

export class HrActivationDto extends HrCodeDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'The verificationId this registration answered with: the account is activated with the ' +
      'password and names of that registration, and only with the code sent for it',
    example: '0b9f6a52-3f0e-4f4b-9a55-2f1f6f8f3c11',
  })
  @IsUUID()
  verificationId!: string;
}

export class HrLoginDto extends HrEmailDto {
  @ApiProperty({ example: 'correct horse battery staple', maxLength: PASSWORD_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX)
  password!: string;
}
