import { Injectable } from '@nestjs/common';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type {
  PasswordResetCompleteDto,
  PasswordResetCodeDto,
  PasswordResetRequestDto,
} from './dto/password-reset-request.dto.js';
import type {
  PasswordResetRequestResponseDto,
  PasswordResetVerifyResponseDto,
} from './dto/password-reset-response.dto.js';
import { PasswordResetConfirmService } from './password-reset-confirm.service.js';
import { PasswordResetRequestService } from './password-reset-request.service.js';

export { PASSWORD_RESET } from './password-reset-audit-event.js';

/**
 * Password reset for HR accounts: request a code by email (PasswordResetRequestService), trade
 * it for a single-use reset token, set a new password with the token (PasswordResetConfirmService).
 * A request answers at once with the same body whether or not the address has an active account;
 * the look-up and the send (a decoy without an active account) happen after the answer.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly requests: PasswordResetRequestService,
    private readonly confirmations: PasswordResetConfirmService,
  ) {}

  request(dto: PasswordResetRequestDto, meta: RequestMetaData): PasswordResetRequestResponseDto {
    return this.requests.request(dto, meta);
  }

  verify(
    dto: PasswordResetCodeDto,
    meta: RequestMetaData,
  ): Promise<PasswordResetVerifyResponseDto> {
    return this.confirmations.verify(dto, meta);
  }

  complete(dto: PasswordResetCompleteDto, meta: RequestMetaData): Promise<void> {
    return this.confirmations.complete(dto, meta);
  }
}
