import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { securityHeaders } from '#src/bootstrap/security-headers.js';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer liveness and readiness', async () => {
    expect((await t.get('/health/live')).status).toBe(200);
    const ready = await t.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.cache.status).toBe('up');
  });

  it('should serve the OpenAPI document and Swagger UI', async () => {
    const doc = await t.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/health/live',
        '/health/ready',
        '/v1/otp/send',
        '/v1/otp/verify',
        '/v1/otp/tokens/consume',
        '/v1/hr/register',
        '/v1/hr/register/verify',
        '/v1/hr/login',
        '/v1/password-reset/request',
        '/v1/password-reset/verify',
        '/v1/password-reset/complete',
        '/v1/admin/audit-events',
        '/v1/admin/stats',
        '/v1/admin/blocks',
        '/v1/admin/unlock',
      ]),
    );
    for (const path of ['/v1/otp/verify', '/v1/hr/register/verify', '/v1/password-reset/verify']) {
      expect(Object.keys(doc.body.paths[path].post.responses)).toEqual(
        expect.arrayContaining(['200', '404', '410', '422', '429']),
      );
    }
    expect(doc.body.components.securitySchemes.admin).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const ui = await t.get('/docs');
    expect(ui.status).toBe(200);
  });

  it('should expose Prometheus metrics including HTTP requests', async () => {
    await t.get('/health/live');
    const m = await t.get('/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toContain('http_requests_total{method="GET",route="/health/live",status="200"}');
  });

  it('should echo a valid X-Request-Id and generate one otherwise', async () => {
    const given = await t.get('/health/live', { 'x-request-id': 'abc-123' });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const bad = await t.get('/health/live', { 'x-request-id': 'bad id\twith spaces' });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer an unknown route with the contract error body', async () => {
    const res = await t.get('/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('should answer an unparseable HTTP request with the contract error body', async () => {
    const { port } = new URL(t.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /v1/otp/send HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('should set helmet security headers on answers and refusals alike', async () => {
    const expected = securityHeaders();
    expect(expected['x-content-type-options']).toBe('nosniff');
    expect(expected['content-security-policy']).toContain(`default-src 'self'`);
    for (const res of [
      await t.get('/health/live'),
      await t.get('/no-such-route'),
      await t.post('/v1/otp/verify', { channel: 'sms' }),
    ]) {
      for (const [name, value] of Object.entries(expected)) {
        expect([res.status, name, res.headers.get(name)]).toEqual([res.status, name, value]);
      }
    }
  });
});
