import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { BreakerCounter } from './breaker-counter.js';
import { BreakerStates } from './breaker-states.js';
import { SmsBreaker } from './sms-breaker.js';
import { SmsBreakerRepository } from './sms-breaker.repository.js';
import { SmsGuardService } from './sms-guard.service.js';
import { SmsGuardTicker } from './sms-guard.ticker.js';

/**
 * SMS fraud defence: the number-type policy and the per-destination breaker (docs/fraud.md).
 * Imported by the modules whose services use SmsGuardService (OTP, admin).
 */
@Module({
  imports: [AuditModule],
  providers: [
    SmsGuardService,
    SmsBreaker,
    SmsBreakerRepository,
    BreakerCounter,
    BreakerStates,
    SmsGuardTicker,
  ],
  exports: [SmsGuardService],
})
export class SmsGuardModule {}
