import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import {
  HrEmailDto,
  PASSWORD_MAX,
  PASSWORD_MIN,
} from '#src/accounts/dto/hr-account-request.dto.js';
import { HrCodeDto } from '#src/flows/common/dto/hr-code.dto.js';

const NAME_MAX = 200;

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
