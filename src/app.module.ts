import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from './admin/admin.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CacheModule } from './common/cache/cache.module.js';
import { CommonModule } from './common/common.module.js';
import { HttpErrorFilter } from './common/errors/http-error.filter.js';
import { RequestLoggingInterceptor } from './common/interceptors/request-logging.interceptor.js';
import { LoggingModule } from './common/logging/logging.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { FlowsModule } from './flows/flows.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationModule } from './notification/notification.module.js';
import { OtpModule } from './otp/otp.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { SmsGuardModule } from './sms-guard/sms-guard.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        CommonModule,
        DatabaseModule,
        CacheModule,
        MetricsModule,
        ScheduleModule.forRoot(),
        HealthModule,
        AuditModule,
        NotificationModule,
        RateLimitModule,
        SmsGuardModule,
        OtpModule,
        FlowsModule,
        AdminModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestLoggingInterceptor },
      ],
    };
  }
}
