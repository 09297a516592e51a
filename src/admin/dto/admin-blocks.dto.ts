import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class IpBlockDto {
  @ApiProperty({
    description: 'The client: an IPv4 address, or an IPv6 network (/IP_V6_PREFIX)',
    example: '2001:db8:0:1::/64',
  })
  ip!: string;

  @ApiProperty({ example: '/v1/otp/verify' })
  endpoint!: string;

  @ApiProperty({ format: 'date-time' })
  blockedUntil!: string;
}

export class RecipientLockDto {
  @ApiProperty({ enum: ['sms', 'email'] })
  channel!: 'sms' | 'email';

  @ApiProperty({ description: 'Masked', example: '+998*******67' })
  recipient!: string;

  @ApiProperty({ format: 'date-time' })
  lockedUntil!: string;
}

export class AdminBlocksDto {
  @ApiProperty({ type: [IpBlockDto], description: 'IPs currently blocked, per endpoint' })
  ips!: IpBlockDto[];

  @ApiProperty({ type: [RecipientLockDto], description: 'Recipients currently locked' })
  recipients!: RecipientLockDto[];
}

/** Exactly one form: `{ ip }` or `{ channel, to }`. */
export class AdminUnlockDto {
  @ApiPropertyOptional({
    description:
      'Lift every endpoint block on this client: any of its addresses, or its network ' +
      '(an IPv6 client is its /IP_V6_PREFIX network, e.g. 2001:db8:0:1::/64)',
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ip?: string;

  @ApiPropertyOptional({ enum: ['sms', 'email'], description: 'With `to`: lift a recipient lock' })
  @IsOptional()
  @IsIn(['sms', 'email'])
  channel?: 'sms' | 'email';

  @ApiPropertyOptional({
    description: 'Phone number or email as typed (normalised like /v1/otp/send)',
    example: '+998 90 123 45 67',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  to?: string;
}

export class AdminUnlockResponseDto {
  @ApiProperty({ example: true })
  unlocked!: true;
}
