import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CodeCheckErrors } from '#src/otp/dto/code-check-errors.decorator.js';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestMeta, type RequestMetaData } from '#src/common/http/request-meta.js';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';
import { IpLimit } from '#src/rate-limit/ip-limit.decorator.js';
import { HrActivationDto, HrRegisterDto } from './dto/hr-request.dto.js';
import { HrActivationResponseDto, HrRegisterResponseDto } from './dto/hr-response.dto.js';
import { HrRegistrationService } from './hr-registration.service.js';

@ApiTags('hr')
@Controller('v1/hr')
export class HrRegistrationController {
  constructor(private readonly registration: HrRegistrationService) {}

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
}
