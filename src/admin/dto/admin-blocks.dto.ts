import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

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

export class DestinationBreakerDto {
  @ApiProperty({
    description: 'Destination prefix: + country code and SMS_BREAKER_PREFIX_DIGITS national digits',
    example: '+9989012',
  })
  prefix!: string;

  @ApiProperty({
    enum: ['open', 'half_open'],
    description: 'open: sends answer DESTINATION_SUSPENDED; half_open: a few probe sends may go',
  })
  state!: 'open' | 'half_open';

  @ApiProperty({ format: 'date-time', description: 'End of the open period' })
  openUntil!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Half-open: when the probes are judged (closed if they converted)',
  })
  probeUntil!: string | null;
}

export class LoginThrottleDto {
  @ApiProperty({
    description: 'Masked email (existing account or not)',
    example: 'j***@acme.example',
  })
  email!: string;

  @ApiProperty({
    format: 'date-time',
    description:
      'Logins for it answer 429 LOGIN_THROTTLED until then (LOGIN_LOCKOUT_SECONDS after the last failure)',
  })
  lockedUntil!: string;
}

export class AdminBlocksDto {
  @ApiProperty({ type: [IpBlockDto], description: 'IPs currently blocked, per endpoint' })
  ips!: IpBlockDto[];

  @ApiProperty({ type: [RecipientLockDto], description: 'Recipients currently locked' })
  recipients!: RecipientLockDto[];

  @ApiProperty({
    type: [DestinationBreakerDto],
    description: 'Destination prefixes whose SMS-pumping breaker is open or half-open',
  })
  destinations!: DestinationBreakerDto[];

  @ApiProperty({
    type: [LoginThrottleDto],
    description: 'Emails throttled after LOGIN_MAX_FAILURES failed logins',
  })
  logins!: LoginThrottleDto[];
}

/** Exactly one form: `{ ip }`, `{ channel, to }`, `{ destination }` or `{ login }`. */
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

  @ApiPropertyOptional({
    description:
      'Close the SMS-pumping breaker of a destination prefix (as listed in /v1/admin/blocks), ' +
      'or of the prefix a phone number falls in',
    example: '+9989012',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{0,31}$/, { message: 'destination must be + and digits' })
  destination?: string;

  @ApiPropertyOptional({
    description: 'Alone: lift the login throttle of this email (as typed; trimmed, lower-cased)',
    example: 'jane.doe@acme.example',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  login?: string;
}

export class AdminUnlockResponseDto {
  @ApiProperty({ example: true })
  unlocked!: true;
}
