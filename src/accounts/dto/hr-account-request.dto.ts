import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Any address spelling; trimmed and lower-cased by the service (INVALID_RECIPIENT if not an email). */
export class HrEmailDto {
  @ApiProperty({ example: 'jane.doe@acme.example', maxLength: 254 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email!: string;
}

export class HrLoginDto extends HrEmailDto {
  @ApiProperty({ example: 'correct horse battery staple', maxLength: PASSWORD_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX)
  password!: string;
}
