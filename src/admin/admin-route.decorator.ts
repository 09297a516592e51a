import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from './admin.guard.js';
import { ErrorResponseDto } from '../common/errors/error-response.dto.js';

/**
 * Marks a controller or route as admin-only: AdminGuard (Bearer key from ADMIN_API_KEYS, failures
 * audited and throttled per IP), the `admin` tag and security scheme, and the shared error answers.
 */
export function AdminRoute(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(AdminGuard),
    ApiTags('admin'),
    ApiBearerAuth('admin'),
    ApiResponse({
      status: 400,
      type: ErrorResponseDto,
      description: 'VALIDATION_FAILED: query or body does not match the schema',
    }),
    ApiResponse({
      status: 401,
      type: ErrorResponseDto,
      description: 'UNAUTHORIZED: missing or wrong admin key (audited as admin.auth_failed)',
    }),
    ApiResponse({
      status: 429,
      type: ErrorResponseDto,
      description:
        'IP_RATE_LIMITED: too many failed admin authentications from this IP this minute; ' +
        'Retry-After says when to try again',
    }),
  );
}
