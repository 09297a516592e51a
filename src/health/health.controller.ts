import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { AppCache } from '../common/cache/app-cache.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly cache: AppCache,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Database and cache both answer. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2_000 }),
      () => this.cacheCheck(),
    ]);
  }

  private async cacheCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('cache');
    try {
      await this.cache.probe();
      return indicator.up({ store: this.cache.kind });
    } catch (err) {
      return indicator.down({ store: this.cache.kind, message: (err as Error).message });
    }
  }
}
