import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CodeCheckErrors } from '#src/otp/dto/code-check-errors.decorator.js';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestMeta, type RequestMetaData } from '#src/common/http/request-meta.js';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';
import { IpLimit } from '#src/rate-limit/ip-limit.decorator.js';
import {
  PasswordResetCodeDto,
  PasswordResetCompleteDto,
  PasswordResetRequestDto,
} from './dto/password-reset-request.dto.js';
import {
  PasswordResetRequestResponseDto,
  PasswordResetVerifyResponseDto,
} from './dto/password-reset-response.dto.js';
import { PasswordResetService } from './password-reset.service.js';

@ApiTags('password-reset')
@ApiResponse({
  status: 400,
  type: ErrorResponseDto,
  description: 'VALIDATION_FAILED or INVALID_RECIPIENT',
})
@Controller('v1/password-reset')
export class PasswordResetController {
  constructor(private readonly reset: PasswordResetService) {}

  @Post('request')
  @HttpCode(202)
  @IpLimit('send')
  @ApiOperation({
    summary: 'Email a reset code if the address has an active account (same answer either way)',
  })
  @ApiResponse({ status: 202, type: PasswordResetRequestResponseDto })
  request(
    @Body() dto: PasswordResetRequestDto,
    @RequestMeta() meta: RequestMetaData,
  ): PasswordResetRequestResponseDto {
    return this.reset.request(dto, meta);
  }

  @Post('verify')
  @HttpCode(200)
  @IpLimit('verify')
  @ApiOperation({ summary: 'Trade the emailed code for a single-use reset token' })
  @ApiResponse({ status: 200, type: PasswordResetVerifyResponseDto })
  @CodeCheckErrors()
  verify(
    @Body() dto: PasswordResetCodeDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<PasswordResetVerifyResponseDto> {
    return this.reset.verify(dto, meta);
  }

  @Post('complete')
  @HttpCode(204)
  @IpLimit('verify')
  @ApiOperation({
    summary: 'Set a new password with the reset token; older access tokens stop working',
  })
  @ApiResponse({ status: 204, description: 'Password changed; a notice was emailed' })
  @ApiResponse({
    status: 401,
    type: ErrorResponseDto,
    description: 'TOKEN_INVALID: unknown, expired, already used or for another purpose',
  })
  complete(
    @Body() dto: PasswordResetCompleteDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<void> {
    return this.reset.complete(dto, meta);
  }
}
