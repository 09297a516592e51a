import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RequestMeta, type RequestMetaData } from '#src/common/http/request-meta.js';
import { AdminBlocksService } from './admin-blocks.service.js';
import { AdminRoute } from './admin-route.decorator.js';
import { AdminBlocksDto, AdminUnlockDto, AdminUnlockResponseDto } from './dto/admin-blocks.dto.js';

@AdminRoute()
@Controller('v1/admin')
export class AdminBlocksController {
  constructor(private readonly blocks: AdminBlocksService) {}

  @Get('blocks')
  @ApiOperation({
    summary:
      'IPs blocked by the per-endpoint limits, recipients locked and destinations suspended now',
  })
  @ApiOkResponse({ type: AdminBlocksDto })
  list(): Promise<AdminBlocksDto> {
    return this.blocks.list();
  }

  @Post('unlock')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Lift an IP block ({ ip }), a recipient lock ({ channel, to }) or a destination breaker ({ destination }) at once',
    description: 'Idempotent; recorded as an admin.unlock audit event.',
  })
  @ApiOkResponse({ type: AdminUnlockResponseDto })
  unlock(
    @Body() dto: AdminUnlockDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<AdminUnlockResponseDto> {
    return this.blocks.unlock(dto, meta);
  }
}
