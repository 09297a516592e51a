import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderOpenApi } from '#src/bootstrap/openapi-document.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// openapi.json is written by `npm run openapi:write` from a module graph built in preview mode (no
// database, nothing listening); CI compares it with the committed file. This proves that document
// is the one the running service serves.
describe('OpenAPI document', () => {
  let t: TestApp;
  let rendered: any;

  beforeAll(async () => {
    t = await startTestApp();
    rendered = JSON.parse(await renderOpenApi());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should be the document the running service serves at /docs-json', async () => {
    const served = await t.get('/docs-json');

    expect(served.status).toBe(200);
    expect(rendered).toEqual(served.body);
  });

  it('should mark public routes `security: []` and name the scheme of the others', () => {
    const security = (path: string, method: string) => rendered.paths[path][method].security;

    expect(security('/v1/otp/send', 'post')).toEqual([]);
    expect(security('/health/ready', 'get')).toEqual([]);
    expect(security('/v1/admin/stats', 'get')).toEqual([{ admin: [] }]);
    expect(security('/v1/hr/me', 'get')).toEqual([{ hr: [] }]);
    expect(rendered.components.securitySchemes.admin.bearerFormat).toBe('API key');
  });
});
