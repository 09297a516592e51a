import { Injectable } from '@nestjs/common';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import { OtpSendClaimService } from './otp-send-claim.service.js';
import { OtpSendDeliveryService } from './otp-send-delivery.service.js';
import { OtpSendOutcomeService } from './otp-send-outcome.service.js';
import { OtpSendPolicyService } from './otp-send-policy.service.js';
import type { SendInput, SendOptions, SendResult } from './otp-send.types.js';

export type { SendInput, SendOptions, SendResult } from './otp-send.types.js';

/**
 * Sends codes for any purpose: the policy admits the send (OtpSendPolicyService), the database
 * claims it (OtpSendClaimService), then the code is delivered (OtpSendDeliveryService) or, for a
 * decoy, only recorded (OtpSendOutcomeService). Every rule is enforced in PostgreSQL.
 */
@Injectable()
export class OtpService {
  constructor(
    private readonly policy: OtpSendPolicyService,
    private readonly claims: OtpSendClaimService,
    private readonly delivery: OtpSendDeliveryService,
    private readonly outcome: OtpSendOutcomeService,
  ) {}

  async send(
    input: SendInput,
    meta: RequestMetaData,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const admitted = await this.policy.admit(input, meta);
    const sent = await this.claims.claim(admitted);
    if (options.deliver === false) return this.outcome.decoy(sent, meta);
    return this.delivery.deliver(sent, input.locale, meta);
  }
}
