import { Module } from '@nestjs/common';
import { HrRegistrationModule } from './hr-registration/hr-registration.module.js';
import { PasswordResetModule } from './password-reset/password-reset.module.js';

/** The client flows built on the OTP core: HR registration and password reset. */
@Module({ imports: [HrRegistrationModule, PasswordResetModule] })
export class FlowsModule {}
