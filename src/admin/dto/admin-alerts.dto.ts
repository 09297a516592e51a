import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const ALERTS_DEFAULT_LIMIT = 50;
export const ALERTS_MAX_LIMIT = 200;

export class AdminAlertsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: ALERTS_MAX_LIMIT, default: ALERTS_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ALERTS_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}

export class AdminAlertDto {
  @ApiProperty({ description: 'Id of the `alert.raised` audit event' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({
    example: 'ip_lockouts',
    description: 'ip_lockouts, ip_distinct_recipients, delivery_failures or recipient_lockouts',
  })
  rule!: string;

  @ApiProperty({
    description: 'An IP, a masked recipient, or `all` for service-wide rules',
    example: '203.0.113.7',
  })
  subject!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['sms', 'email'] })
  channel!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Events counted when it fired' })
  count!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  threshold!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  windowSeconds!: number | null;
}

export class AdminAlertPageDto {
  @ApiProperty({ type: [AdminAlertDto], description: 'Newest first' })
  items!: AdminAlertDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
