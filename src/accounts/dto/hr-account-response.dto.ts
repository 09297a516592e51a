import { ApiProperty } from '@nestjs/swagger';

export class HrLoginResponseDto {
  @ApiProperty({
    description: 'HS256 JWT; send as `Authorization: Bearer <accessToken>`',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1ZDFj…',
  })
  accessToken!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-15T11:00:00.000Z' })
  expiresAt!: string;
}

export class HrMeResponseDto {
  @ApiProperty({ format: 'uuid', example: '5d1c2a8e-7b7e-4f0e-8d0a-0c7c2b1e9f10' })
  accountId!: string;

  @ApiProperty({ example: 'jane.doe@acme.example' })
  email!: string;

  @ApiProperty({ example: 'Jane Doe' })
  fullName!: string;

  @ApiProperty({ example: 'Acme LLC' })
  companyName!: string;
}
