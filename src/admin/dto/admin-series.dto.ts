import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional } from 'class-validator';

/** Bucket widths the series accepts, in seconds: 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 1 day. */
export const SERIES_BUCKETS = [60, 300, 900, 3600, 10_800, 21_600, 86_400] as const;
/** Most buckets one answer may hold. */
export const SERIES_MAX_BUCKETS = 1_500;

export class AdminRangeQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Inclusive; default `until` minus 24 hours. At most 31 days before `until`.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  since?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Exclusive; default 1 ms after now (so now is included)',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;
}

export class AdminSeriesQueryDto extends AdminRangeQueryDto {
  @ApiPropertyOptional({
    enum: SERIES_BUCKETS,
    description:
      `Bucket width in seconds; by default the narrowest giving at most 200 buckets. ` +
      `At most ${SERIES_MAX_BUCKETS} buckets per answer.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsIn(SERIES_BUCKETS)
  bucket?: number;
}

export class ChannelSeriesDto {
  @ApiProperty({ type: [Number], description: '`otp.sent` per bucket' })
  sends!: number[];

  @ApiProperty({ type: [Number], description: '`otp.delivery_failed` per bucket' })
  deliveryFailures!: number[];

  @ApiProperty({ type: [Number], description: '`otp.verified` per bucket' })
  verificationsSucceeded!: number[];

  @ApiProperty({ type: [Number], description: '`otp.verify_failed` per bucket' })
  verificationsFailed!: number[];

  @ApiProperty({ type: [Number], description: '`otp.locked` per bucket' })
  lockouts!: number[];

  @ApiProperty({
    type: [Number],
    description: 'Codes whose first verification attempt in the window falls in the bucket',
  })
  codesAttempted!: number[];

  @ApiProperty({
    type: [Number],
    description: 'Of `codesAttempted`, codes verified with no failed attempt in the window',
  })
  firstAttemptVerified!: number[];
}

class SeriesChannelsDto {
  @ApiProperty({ type: ChannelSeriesDto })
  sms!: ChannelSeriesDto;

  @ApiProperty({ type: ChannelSeriesDto })
  email!: ChannelSeriesDto;
}

export class AdminSeriesDto {
  @ApiProperty({ format: 'date-time' })
  since!: string;

  @ApiProperty({ format: 'date-time' })
  until!: string;

  @ApiProperty({ example: 300 })
  bucketSeconds!: number;

  @ApiProperty({
    type: [String],
    description: 'Start of each bucket (ISO 8601); every array below has one value per bucket',
  })
  buckets!: string[];

  @ApiProperty({ type: SeriesChannelsDto })
  channels!: SeriesChannelsDto;

  @ApiProperty({ type: [Number], description: '`ip.blocked` per bucket' })
  ipBlocks!: number[];

  @ApiProperty({ type: [Number], description: '`alert.raised` per bucket' })
  alerts!: number[];
}

export class ProviderStatsDto {
  @ApiProperty({ enum: ['sms', 'email'] })
  channel!: string;

  @ApiProperty({ example: 'twilio' })
  provider!: string;

  @ApiProperty({ description: 'Messages handed to this provider' })
  attempts!: number;

  @ApiProperty()
  accepted!: number;

  @ApiProperty({ description: 'Vendor errors (retryable)' })
  failed!: number;

  @ApiProperty({ description: 'No answer within NOTIFY_TIMEOUT_MS' })
  timeouts!: number;

  @ApiProperty({ description: 'Recipient refused by the vendor' })
  rejected!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'accepted / attempts (0..1)' })
  successRate!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  avgLatencyMs!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  p50LatencyMs!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  p95LatencyMs!: number | null;
}

export class AdminProviderStatsDto {
  @ApiProperty({ format: 'date-time' })
  since!: string;

  @ApiProperty({ format: 'date-time' })
  until!: string;

  @ApiProperty({ type: [ProviderStatsDto] })
  providers!: ProviderStatsDto[];
}
