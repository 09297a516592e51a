import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from './app-config.js';

/** Writes each configuration warning as one log line once the logger is in place. */
@Injectable()
export class ConfigWarningsReporter implements OnApplicationBootstrap {
  private readonly logger = new Logger('Config');

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    for (const warning of this.config.warnings) this.logger.warn(warning);
  }
}
