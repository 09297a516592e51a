import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminAuditService } from './admin-audit.service.js';
import { AdminRoute } from './admin-route.decorator.js';
import { AdminStatsDto, AdminStatsQueryDto } from './dto/admin-stats.dto.js';
import { AuditEventPageDto } from './dto/audit-event-page.dto.js';
import { AuditEventQueryDto } from './dto/audit-event-query.dto.js';

@AdminRoute()
@Controller('v1/admin')
export class AdminAuditController {
  constructor(private readonly audit: AdminAuditService) {}

  @Get('audit-events')
  @ApiOperation({
    summary: 'Audit events, newest first, filtered and keyset-paginated',
    description:
      'All filters combine with AND. `since` is inclusive, `until` exclusive. Follow `nextCursor` ' +
      'until it is null; pages never overlap or skip events.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() query: AuditEventQueryDto): Promise<AuditEventPageDto> {
    return this.audit.list(query);
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Per-channel OTP counts and first-attempt success rate over [since, until)',
  })
  @ApiOkResponse({ type: AdminStatsDto })
  stats(@Query() query: AdminStatsQueryDto): Promise<AdminStatsDto> {
    return this.audit.stats(query);
  }
}
