import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock/clock.js';
import { RandomSource } from '#src/common/crypto/random-source.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { RecipientNormalizer } from '#src/common/recipient/recipient-normalizer.js';
import { AppConfig } from '#src/config/app-config.js';
import { FlowTasks } from '#src/flows/common/flow-tasks.js';
import type { PasswordResetRequestDto } from './dto/password-reset-request.dto.js';
import type { PasswordResetRequestResponseDto } from './dto/password-reset-response.dto.js';
import { PasswordResetCodeService } from './password-reset-code.service.js';

/**
 * A reset request answers at once with the same body whether or not the address has an active
 * account; the look-up and the send (PasswordResetCodeService) happen after the answer.
 */
@Injectable()
export class PasswordResetRequestService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly normalizer: RecipientNormalizer,
    private readonly tasks: FlowTasks,
    private readonly codes: PasswordResetCodeService,
  ) {}

  request(dto: PasswordResetRequestDto, meta: RequestMetaData): PasswordResetRequestResponseDto {
    const email = this.normalizer.normalize('email', dto.email).value;
    const verificationId = this.random.uuid();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.otp.ttlSeconds * 1000);
    this.tasks.run('password-reset.request', () => this.codes.send(email, verificationId, meta));
    return { verificationId, expiresAt: expiresAt.toISOString() };
  }
}
