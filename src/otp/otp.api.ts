import { Injectable } from '@nestjs/common';
import { AuditService } from '#src/audit/audit.service.js';
import type { RequestMetaData } from '#src/common/http/request-meta.js';
import type { OtpConsumeDto, OtpSendDto, OtpVerifyDto } from './dto/otp-request.dto.js';
import type {
  OtpConsumeResponseDto,
  OtpSendResponseDto,
  OtpVerifyResponseDto,
} from './dto/otp-response.dto.js';
import { OtpTokenService } from './otp-token.service.js';
import { OtpService } from './otp.service.js';
import { OtpVerifyService } from './otp-verify.service.js';

/** Maps the public OTP endpoints to the services and shapes the contract's response bodies. */
@Injectable()
export class OtpApi {
  constructor(
    private readonly otp: OtpService,
    private readonly verifier: OtpVerifyService,
    private readonly tokens: OtpTokenService,
    private readonly audit: AuditService,
  ) {}

  async send(dto: OtpSendDto, meta: RequestMetaData): Promise<OtpSendResponseDto> {
    const r = await this.otp.send(dto, meta);
    return {
      verificationId: r.verificationId,
      channel: r.channel,
      to: r.to,
      purpose: r.purpose,
      expiresAt: r.expiresAt.toISOString(),
      resendAfter: r.resendAfter.toISOString(),
    };
  }

  async verify(dto: OtpVerifyDto, meta: RequestMetaData): Promise<OtpVerifyResponseDto> {
    const r = await this.verifier.verify(dto, meta);
    return {
      verified: true,
      verificationToken: r.verificationToken,
      expiresAt: r.expiresAt.toISOString(),
    };
  }

  async consume(dto: OtpConsumeDto, meta: RequestMetaData): Promise<OtpConsumeResponseDto> {
    const r = await this.tokens.consume(dto.verificationToken, dto.purpose);
    await this.audit.record({
      type: 'token.consumed',
      channel: r.channel,
      purpose: r.purpose,
      recipient: r.to,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    });
    return {
      channel: r.channel,
      to: r.to,
      purpose: r.purpose,
      verifiedAt: r.verifiedAt.toISOString(),
    };
  }
}
