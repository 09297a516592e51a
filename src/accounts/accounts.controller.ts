import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';
import { RequestMeta, type RequestMetaData } from '#src/common/http/request-meta.js';
import { IpLimit } from '#src/rate-limit/ip-limit.decorator.js';
import { HrLoginDto } from './dto/hr-account-request.dto.js';
import { HrLoginResponseDto, HrMeResponseDto } from './dto/hr-account-response.dto.js';
import { HrAuthService } from './hr-auth.service.js';

/**
 * Login and `/me` of HR accounts (registration and password reset are flows, in src/flows). The
 * operationIds are the ones these routes had before they moved here, so clients generated from
 * the OpenAPI document keep their method names.
 */
@ApiTags('hr')
@Controller('v1/hr')
export class AccountsController {
  constructor(private readonly auth: HrAuthService) {}

  @Post('login')
  @HttpCode(200)
  @IpLimit('verify')
  @ApiOperation({
    summary: 'Password login for an active account',
    operationId: 'HrRegistrationController_login',
  })
  @ApiResponse({ status: 200, type: HrLoginResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiResponse({
    status: 401,
    type: ErrorResponseDto,
    description:
      'INVALID_CREDENTIALS: unknown email, wrong password or inactive account (one answer)',
  })
  @ApiResponse({
    status: 429,
    type: ErrorResponseDto,
    description:
      'LOGIN_THROTTLED: LOGIN_MAX_FAILURES failed logins for this email (existing or not) within ' +
      'LOGIN_LOCKOUT_SECONDS; refused, whatever the password, until LOGIN_LOCKOUT_SECONDS after ' +
      'the last failure. Or IP_RATE_LIMITED (the verify limit per client IP). Both carry ' +
      'Retry-After.',
    examples: {
      LOGIN_THROTTLED: {
        summary: 'Too many failed logins for this email',
        value: {
          statusCode: 429,
          code: 'LOGIN_THROTTLED',
          message: 'Too many failed logins for this email; try again in 840 s',
          retryAfter: 840,
        },
      },
      IP_RATE_LIMITED: {
        summary: 'The client IP is over its limit',
        value: {
          statusCode: 429,
          code: 'IP_RATE_LIMITED',
          message: 'Too many requests from this IP; try again in 900 s',
          retryAfter: 900,
        },
      },
    },
  })
  login(
    @Body() dto: HrLoginDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<HrLoginResponseDto> {
    return this.auth.login(dto, meta);
  }

  @Get('me')
  @ApiOperation({
    summary: 'The account an access token belongs to',
    operationId: 'HrRegistrationController_me',
  })
  @ApiBearerAuth('hr')
  @ApiResponse({ status: 200, type: HrMeResponseDto })
  @ApiResponse({
    status: 401,
    type: ErrorResponseDto,
    description:
      'TOKEN_INVALID: missing, malformed, expired, or issued before the last password change',
  })
  me(@Headers('authorization') authorization?: string): Promise<HrMeResponseDto> {
    return this.auth.me(authorization);
  }
}
