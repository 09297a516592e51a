import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_EVENT_TYPES } from '#src/audit/audit.types.js';

export class AuditEventDto {
  @ApiProperty({ description: 'Opaque, time-ordered id', example: '1042' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES })
  type!: string;

  @ApiProperty({ enum: ['sms', 'email'], nullable: true, type: String })
  channel!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'login' })
  purpose!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Masked', example: '+998*******67' })
  recipient!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  requestId!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Masked context; never codes, hashes, passwords, tokens or secrets',
  })
  details!: Record<string, unknown>;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first' })
  items!: AuditEventDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
