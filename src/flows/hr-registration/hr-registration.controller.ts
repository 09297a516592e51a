import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { CodeCheckErrors } from '../../otp/dto/code-check-errors.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestMeta, type RequestMetaData } from '../../common/http/request-meta.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { IpLimit } from '../../rate-limit/ip-limit.decorator.js';
import { HrCodeDto, HrLoginDto, HrRegisterDto } from './dto/hr-request.dto.js';
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
    summary: 'Create (or refresh) a pending account and email a code',
    description:
      'An address that already has an active account gets the same answer, but no code and no change.',
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
  @ApiOperation({ summary: 'Check the emailed code and activate the account' })
  @ApiResponse({ status: 200, type: HrActivationResponseDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED or INVALID_RECIPIENT',
  })
  @CodeCheckErrors()
  verify(
    @Body() dto: HrCodeDto,
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
  login(@Body() dto: HrLoginDto): Promise<HrLoginResponseDto> {
    return this.auth.login(dto);
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
