import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';

/** The documented answers of every route that checks a code (OTP verify and both flows). */
export function CodeCheckErrors(): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 404, type: ErrorResponseDto, description: 'CODE_NOT_FOUND' }),
    ApiResponse({ status: 410, type: ErrorResponseDto, description: 'CODE_EXPIRED' }),
    ApiResponse({
      status: 422,
      type: ErrorResponseDto,
      description: 'CODE_INVALID, with attemptsLeft',
    }),
  );
}
