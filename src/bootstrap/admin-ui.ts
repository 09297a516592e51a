import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The admin dashboard's Content-Security-Policy: no inline script or style, nothing from another
 * origin. The rest of the service keeps helmet's policy (Swagger UI at /docs needs inline code).
 */
export const ADMIN_UI_CSP = [
  `default-src 'none'`,
  `script-src 'self'`,
  `style-src 'self'`,
  `img-src 'self' data:`,
  `connect-src 'self'`,
  `font-src 'self'`,
  `manifest-src 'self'`,
  `base-uri 'none'`,
  `form-action 'none'`,
  `frame-ancestors 'none'`,
].join('; ');

/** Where `npm run build` puts the bundle: admin-ui/dist under the package root. */
export function adminUiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  return join(dir, 'admin-ui', 'dist');
}

const isAdminPage = (url: string) =>
  url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?');

/**
 * Serves the dashboard at GET /admin (index) and /admin/assets/* (bundle), same origin as the API,
 * under a strict CSP. Without a build the page answers 503 saying how to build it.
 */
export async function registerAdminUi(app: NestFastifyApplication): Promise<void> {
  const root = adminUiDir();
  const fastify = app.getHttpAdapter().getInstance();
  const indexFile = join(root, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (isAdminPage(request.url)) {
      void reply.header('content-security-policy', ADMIN_UI_CSP);
      void reply.header('cache-control', 'no-cache');
    }
    return payload;
  });

  const page = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (index === null) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The admin dashboard is not built: run `npm run build`.');
    }
    return reply.type('text/html; charset=utf-8').send(index);
  };
  fastify.get('/admin', page);
  fastify.get('/admin/', page);
  if (existsSync(join(root, 'assets'))) {
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/admin/assets/',
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
    });
  }
}
