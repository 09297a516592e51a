import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CodeCheckErrors } from './dto/code-check-errors.decorator.js';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';
import { RequestMeta, type RequestMetaData } from '#src/common/http/request-meta.js';
import { IpLimit } from '#src/rate-limit/ip-limit.decorator.js';
import { OtpConsumeDto, OtpSendDto, OtpVerifyDto } from './dto/otp-request.dto.js';
import {
  OtpConsumeResponseDto,
  OtpSendResponseDto,
  OtpVerifyResponseDto,
} from './dto/otp-response.dto.js';
import { OtpApi } from './otp.api.js';

@ApiTags('otp')
@ApiResponse({
  status: 400,
  type: ErrorResponseDto,
  description: 'VALIDATION_FAILED or INVALID_RECIPIENT',
})
@Controller('v1/otp')
export class OtpController {
  constructor(private readonly otp: OtpApi) {}

  @Post('send')
  @HttpCode(202)
  @IpLimit('send')
  @ApiOperation({ summary: 'Send a code to a phone (sms) or email address' })
  @ApiResponse({ status: 202, type: OtpSendResponseDto })
  @ApiResponse({
    status: 403,
    type: ErrorResponseDto,
    description:
      'COUNTRY_NOT_ALLOWED, NUMBER_TYPE_NOT_ALLOWED or DESTINATION_SUSPENDED (with retryAfter and Retry-After)',
  })
  @ApiResponse({
    status: 502,
    type: ErrorResponseDto,
    description: 'DELIVERY_FAILED: no code left, no cooldown',
  })
  send(@Body() dto: OtpSendDto, @RequestMeta() meta: RequestMetaData): Promise<OtpSendResponseDto> {
    return this.otp.send(dto, meta);
  }

  @Post('verify')
  @HttpCode(200)
  @IpLimit('verify')
  @ApiOperation({ summary: 'Check a code; a right code works exactly once' })
  @ApiResponse({ status: 200, type: OtpVerifyResponseDto })
  @CodeCheckErrors()
  verify(
    @Body() dto: OtpVerifyDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<OtpVerifyResponseDto> {
    return this.otp.verify(dto, meta);
  }

  @Post('tokens/consume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Server-to-server: prove a recipient was verified (each token works once)',
  })
  @ApiResponse({ status: 200, type: OtpConsumeResponseDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto, description: 'TOKEN_INVALID' })
  consume(
    @Body() dto: OtpConsumeDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<OtpConsumeResponseDto> {
    return this.otp.consume(dto, meta);
  }
}
