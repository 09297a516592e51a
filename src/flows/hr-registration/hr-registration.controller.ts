import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { CodeCheckErrors } from '../../otp/dto/code-check-errors.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestMeta, type RequestMetaData } from '../../common/http/request-meta.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { IpLimit } from '../../rate-limit/ip-limit.decorator.js';
import { HrActivationDto, HrLoginDto, HrRegisterDto } from './dto/hr-request.dto.js';
import {
  HrActivationResponseDto,
  HrLoginResponseDto,
  HrMeResponseDto,
  HrRegisterResponseDto,
} from './dto/hr-response.dto.js';
import { HrAuthService } from './hr-auth.service.js';
import { HrRegistrationService } from './hr-registration.service.js';

@ApiTags('hr')
@Controller('v1/hr')
export class HrRegistrationController {
  constructor(
    private readonly registration: HrRegistrationService,
    private readonly auth: HrAuthService,
  ) {}

  @Post('register')
  @HttpCode(202)
  @IpLimit('send')
  @ApiOperation({
    summary: 'Register: store this attempt and email a code for it',
    description:
      'Each registration keeps its own password and names until the code sent for it is verified; ' +
      'the account is not created or changed before that. An address that already has an active ' +
      'account gets the same answer, the same cooldown and quota, and a decoy code that is never ' +
      'delivered (no account enumeration); the account is not changed.',
  })
  @ApiResponse({ status: 202, type: HrRegisterResponseDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED or INVALID_RECIPIENT',
  })
  @ApiResponse({
    status: 502,
    type: ErrorResponseDto,
    description: 'DELIVERY_FAILED: no code, no cooldown',
  })
  register(
    @Body() dto: HrRegisterDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<HrRegisterResponseDto> {
    return this.registration.register(dto, meta);
  }

  @Post('register/verify')
  @HttpCode(200)
  @IpLimit('verify')
  @ApiOperation({
    summary: 'Check the emailed code and activate the account of this registration',
    description:
      '`verificationId` is the one /v1/hr/register answered with. The account gets the password ' +
      'and names of that registration, and only the code sent for it activates it: a code sent ' +
      'for another registration of the same email answers 404 CODE_NOT_FOUND (register again).',
  })
  @ApiResponse({ status: 200, type: HrActivationResponseDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED or INVALID_RECIPIENT',
  })
  @CodeCheckErrors()
  verify(
    @Body() dto: HrActivationDto,
    @RequestMeta() meta: RequestMetaData,
  ): Promise<HrActivationResponseDto> {
    return this.registration.verify(dto, meta);
  }

  @Post('login')
  @HttpCode(200)
  @IpLimit('verify')
  @ApiOperation({ summary: 'Password login for an active account' })
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
  @ApiOperation({ summary: 'The account an access token belongs to' })
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
