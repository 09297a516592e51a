import { ApiProperty } from '@nestjs/swagger';

export class HrRegisterResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b9f6a52-3f0e-4f4b-9a55-2f1f6f8f3c11' })
  verificationId!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-15T10:10:00.000Z',
    description: 'When the emailed code expires',
  })
  expiresAt!: string;
}

export class HrActivationResponseDto {
  @ApiProperty({ format: 'uuid', example: '5d1c2a8e-7b7e-4f0e-8d0a-0c7c2b1e9f10' })
  accountId!: string;

  @ApiProperty({ example: 'jane.doe@acme.example', description: 'Normalised (lower-case)' })
  email!: string;

  @ApiProperty({ enum: ['active'], example: 'active' })
  status!: 'active';
}
