import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '#src/audit/audit.types.js';

export const AUDIT_PAGE_DEFAULT_LIMIT = 50;
// Years PostgreSQL's timestamptz and JavaScript's Date both hold, written with four digits.
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** An ISO-8601 instant (after @IsISO8601) in years 0001-9999, so every query can bind it. */
export function IsQueryInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isQueryInstant',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-/.test(value)) return false;
          const t = new Date(value).getTime();
          return t >= FIRST_INSTANT && t <= LAST_INSTANT;
        },
        defaultMessage: (args) => `${args?.property} must be a date between years 0001 and 9999`,
      },
    },
    options,
  );
}

export const AUDIT_PAGE_MAX_LIMIT = 500;

export class AuditEventQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({ enum: ['sms', 'email'] })
  @IsOptional()
  @IsIn(['sms', 'email'])
  channel?: 'sms' | 'email';

  @ApiPropertyOptional({
    description:
      'Full phone number or email, as typed (normalised like /v1/otp/send). Without `channel`, ' +
      'a value containing @ is an email, anything else a phone number.',
    example: '+998 90 123 45 67',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  recipient?: string;

  @ApiPropertyOptional({
    description:
      'A client: any of its addresses, or its network (an IPv6 client is its /IP_V6_PREFIX network)',
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ip?: string;

  @ApiPropertyOptional({ example: 'login' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'purpose must be snake_case' })
  purpose?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsQueryInstant()
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsQueryInstant()
  until?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: AUDIT_PAGE_MAX_LIMIT,
    default: AUDIT_PAGE_DEFAULT_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}
