import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { HrEmailDto } from '#src/accounts/dto/hr-account-request.dto.js';

/** An HR email and the code emailed to it, checked by the registration and password-reset flows. */
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
