import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestMetaOf } from '#src/common/http/request-meta.js';
import { AdminAuthService } from './admin-auth.service.js';

/** Lets a request through only with `Authorization: Bearer <ADMIN_API_KEYS entry>`. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly auth: AdminAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    await this.auth.authenticate(
      typeof header === 'string' ? header : undefined,
      requestMetaOf(req),
    );
    return true;
  }
}
