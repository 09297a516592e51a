import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { IsQueryInstant } from './audit-event-query.dto.js';

export class AdminStatsQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Inclusive; default `until` minus 24 hours',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsQueryInstant()
  since?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Exclusive; default 1 ms after now (so now is included)',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsQueryInstant()
  until?: string;
}

export class ChannelStatsDto {
  @ApiProperty({ description: '`otp.sent` events: codes accepted by a provider' })
  sends!: number;

  @ApiProperty({ description: '`otp.delivery_failed` events: sends no provider accepted' })
  deliveryFailures!: number;

  @ApiProperty({ description: '`otp.verified` events' })
  verificationsSucceeded!: number;

  @ApiProperty({
    description: '`otp.verify_failed` events: every wrong code, including the one that locked',
  })
  verificationsFailed!: number;

  @ApiProperty({ description: '`otp.locked` events: recipients locked after too many failures' })
  lockouts!: number;

  @ApiProperty({
    description:
      'Distinct codes (by `details.verificationId`) with at least one verification attempt ' +
      '(`otp.verified`, `otp.verify_failed` or `otp.locked`) in the window',
  })
  codesAttempted!: number;

  @ApiProperty({
    description:
      'Of `codesAttempted`, codes that were verified with no failed attempt on that code in ' +
      'the window, i.e. the first attempt was right',
  })
  firstAttemptVerified!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'firstAttemptVerified / codesAttempted (0..1); null when no code was attempted',
    example: 0.92,
  })
  firstAttemptSuccessRate!: number | null;
}

class StatsChannelsDto {
  @ApiProperty({ type: ChannelStatsDto })
  sms!: ChannelStatsDto;

  @ApiProperty({ type: ChannelStatsDto })
  email!: ChannelStatsDto;
}

export class AdminStatsDto {
  @ApiProperty({ format: 'date-time' })
  since!: string;

  @ApiProperty({ format: 'date-time' })
  until!: string;

  @ApiProperty({ type: StatsChannelsDto })
  channels!: StatsChannelsDto;

  @ApiProperty({ description: '`ip.blocked` events: IPs blocked by the per-endpoint limits' })
  ipBlocks!: number;

  @ApiProperty({
    description:
      '`login.throttled` events: emails throttled after LOGIN_MAX_FAILURES failed logins',
    example: 2,
  })
  loginThrottles!: number;
}
