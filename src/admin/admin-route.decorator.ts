import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from './admin.guard.js';
import { ErrorResponseDto } from '#src/common/errors/error-response.dto.js';

/**
 * Marks a controller or route as admin-only: AdminGuard (Bearer key from ADMIN_API_KEYS; a wrong
 * or missing key answers 401 every time, a valid one is never refused; failures are audited at a
 * bounded rate and alerted on), the `admin` tag and security scheme, and the shared error answers.
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
      description:
        'UNAUTHORIZED: missing or wrong admin key, every time (never throttled: a valid key is ' +
        'never refused because of other failures). Failures are audited as admin.auth_failed, ' +
        'at most ADMIN_AUTH_MAX_FAILURES_PER_MINUTE per client and ADMIN_AUTH_AUDIT_MAX_PER_MINUTE ' +
        'in all per minute, and a spike raises the admin_auth_failures alert',
    }),
  );
}
