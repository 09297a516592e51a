import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminRoute } from './admin-route.decorator.js';
import { AdminSeriesService } from './admin-series.service.js';
import {
  AdminProviderStatsDto,
  AdminRangeQueryDto,
  AdminSeriesDto,
  AdminSeriesQueryDto,
} from './dto/admin-series.dto.js';

@AdminRoute()
@Controller('v1/admin/stats')
export class AdminSeriesController {
  constructor(private readonly series: AdminSeriesService) {}

  @Get('series')
  @ApiOperation({
    summary: 'Time-bucketed OTP counts per channel over [since, until), for charts',
    description:
      'Counts of audit events per bucket: sends, delivery failures, verifications, lockouts ' +
      '(per channel), IP blocks and raised alerts. The window may span at most 31 days.',
  })
  @ApiOkResponse({ type: AdminSeriesDto })
  get(@Query() query: AdminSeriesQueryDto): Promise<AdminSeriesDto> {
    return this.series.series(query);
  }

  @Get('providers')
  @ApiOperation({
    summary: 'Delivery success rate and latency per provider over [since, until)',
    description:
      'From the provider outcomes recorded on `otp.sent` and `otp.delivery_failed` events. ' +
      'The window may span at most 31 days.',
  })
  @ApiOkResponse({ type: AdminProviderStatsDto })
  providers(@Query() query: AdminRangeQueryDto): Promise<AdminProviderStatsDto> {
    return this.series.providers(query);
  }
}
