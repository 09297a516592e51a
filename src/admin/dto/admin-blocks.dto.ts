import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsIP, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class IpBlockDto {
  @ApiProperty({ example: '203.0.113.7' })
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
    description: 'Lift every endpoint block on this IP',
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsIP()
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
