import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { AppCache } from '#src/common/cache/app-cache.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly cache: AppCache,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live() {
    return this.health.check([]);
  }

  /**
   * 503 when the database does not answer. The cache is checked and reported too, but a cache
   * outage only turns the fast path off (every rule holds from PostgreSQL), so it does not take
   * the instance out of rotation: its status shows in `details.cache`.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers (the cache is reported too)' })
  async ready() {
    const result = await this.health.check([
      () => this.db.pingCheck('database', { timeout: 2_000 }),
    ]);
    const cache = await this.cacheCheck();
    const bucket = cache.cache.status === 'up' ? 'info' : 'error';
    return {
      ...result,
      [bucket]: { ...result[bucket], ...cache },
      details: { ...result.details, ...cache },
    };
  }

  private async cacheCheck(): Promise<HealthIndicatorResult> {
    try {
      await this.cache.probe();
      return { cache: { status: 'up', store: this.cache.kind } };
    } catch (err) {
      return { cache: { status: 'down', store: this.cache.kind, message: (err as Error).message } };
    }
  }
}
