import { ApiProperty } from '@nestjs/swagger';

/** The same keys whether or not the address has an active account. */
export class PasswordResetRequestResponseDto {
  @ApiProperty({
    format: 'uuid',
    example: '9a3c7c1e-52b8-4d1f-a7a4-3a0d3c1f2e44',
    description: 'Identifies this request (in the audit trail)',
  })
  verificationId!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-15T10:10:00.000Z',
    description: 'When a code sent for this request would expire',
  })
  expiresAt!: string;
}

export class PasswordResetVerifyResponseDto {
  @ApiProperty({
    description: 'Single-use token for /v1/password-reset/complete',
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaCI6ImVtYWlsIiwicHVyIjoicGFzc3dvcmRfcmVzZXQifQ…',
  })
  resetToken!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-15T10:10:00.000Z' })
  expiresAt!: string;
}
