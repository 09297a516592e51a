import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';

/** Failed-login counting per email, for the HR login and the admin block list. */
@Module({
  imports: [AuditModule],
  providers: [LoginThrottleService, LoginThrottleRepository],
  exports: [LoginThrottleService],
})
export class LoginThrottleModule {}
