import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminRoute } from './admin-route.decorator.js';
import { AdminSeriesService } from './admin-series.service.js';
import { AdminAlertPageDto, AdminAlertsQueryDto } from './dto/admin-alerts.dto.js';

@AdminRoute()
@Controller('v1/admin')
export class AdminAlertsController {
  constructor(private readonly series: AdminSeriesService) {}

  @Get('alerts')
  @ApiOperation({
    summary: 'Suspicious-activity alerts raised (alert.raised events), newest first',
    description: 'Recipient subjects are masked. Follow `nextCursor` until it is null.',
  })
  @ApiOkResponse({ type: AdminAlertPageDto })
  list(@Query() query: AdminAlertsQueryDto): Promise<AdminAlertPageDto> {
    return this.series.alerts(query);
  }
}
