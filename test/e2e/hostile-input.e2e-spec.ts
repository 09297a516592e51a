import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type HttpResult, type TestApp } from '../support/test-app.js';

// Inputs that answered 500 (issue 10.1): each must be 400 VALIDATION_FAILED with details, or 415
// for an undecoded Content-Encoding, on every route that takes them.
describe('hostile input', () => {
  let t: TestApp;
  let postRoutes: string[];
  let n = 0;
  const uniquePhone = () => `+99890${String(1_000_000 + n++).padStart(7, '0')}`;

  beforeAll(async () => {
    t = await startTestApp({
      env: { IP_VERIFY_MAX_PER_MINUTE: '100000', IP_SEND_MAX_PER_MINUTE: '100000' },
    });
    const doc = await t.get('/docs-json');
    postRoutes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([, ops]) => 'post' in ops)
      .map(([path]) => path);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectValidation = (r: HttpResult, field?: string) => {
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(r.body.details.length).toBeGreaterThan(0);
    if (field) expect(r.body.details.map((d: { field: string }) => d.field)).toContain(field);
  };
  const asAdmin = { authorization: 'Bearer test-admin-key-0123456789abcdef' };

  describe('deep nesting', () => {
    it('should refuse JSON nested thousands of levels deep on every POST route with 400', async () => {
      expect(postRoutes.length).toBeGreaterThanOrEqual(10);
      for (const deep of [
        '['.repeat(5000) + ']'.repeat(5000),
        '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
      ]) {
        for (const path of postRoutes) {
          const r = await t.post(
            path,
            `{"x":${deep}}`,
            path.startsWith('/v1/admin') ? asAdmin : {},
          );
          expectValidation(r);
        }
      }
    });

    it('should still accept an ordinary body after a deep one', async () => {
      const r = await t.post('/v1/otp/send', {
        channel: 'sms',
        to: uniquePhone(),
        purpose: 'login',
      });
      expect(r.status).toBe(202);
    });
  });

  describe('control characters and lone surrogates', () => {
    const register = (over: Record<string, string>) =>
      t.post('/v1/hr/register', {
        email: `nul${n++}@example.com`,
        password: 'correct horse battery',
        fullName: 'Ann Lee',
        companyName: 'Acme',
        ...over,
      });

    it('should refuse NUL in every string field of a registration with 400 naming the field', async () => {
      for (const field of ['fullName', 'companyName', 'email', 'password']) {
        expectValidation(await register({ [field]: 'a\u0000b' }), field);
      }
    });

    it('should refuse every C0 control character and lone surrogates', async () => {
      for (const c of ['\u0001', '\t', '\n', '\r', '\u001b', '\u001f', '\ud800', '\udfff']) {
        expectValidation(await register({ fullName: `Ann${c}Lee` }), 'fullName');
      }
      // A paired surrogate (non-BMP character) is ordinary text.
      expect((await register({ fullName: 'Ann \u{1F600} Lee' })).status).toBe(202);
    });

    it('should refuse NUL in a string field of every POST route', async () => {
      for (const path of postRoutes) {
        const r = await t.post(
          path,
          { to: 'x\u0000', email: 'x\u0000@example.com' },
          path.startsWith('/v1/admin') ? asAdmin : {},
        );
        expectValidation(r);
        expect(r.body.details.some((d: { problem: string }) => /control/.test(d.problem))).toBe(
          true,
        );
      }
    });

    it('should refuse NUL in an OTP recipient and in a field name', async () => {
      expectValidation(
        await t.post('/v1/otp/send', {
          channel: 'email',
          to: 'a\u0000@example.com',
          purpose: 'login',
        }),
        'to',
      );
      expectValidation(await t.post('/v1/otp/send', { 'to\u0000': 'x' }), 'to\\u0000');
      expectValidation(await t.post('/v1/otp/send', '{"__proto__":{"channel":"sms"}}'));
    });

    it('should refuse control characters in an admin query, after the key check', async () => {
      expectValidation(
        await t.admin('GET', '/v1/admin/audit-events?recipient=a%00b%40example.com'),
        'recipient',
      );
      expectValidation(await t.admin('GET', '/v1/admin/audit-events?purpose=%01'), 'purpose');
      const anonymous = await t.get('/v1/admin/audit-events?recipient=a%00b');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('null fields', () => {
    it('should refuse null for an optional field on every POST route (found by the fuzzer)', async () => {
      const unlock = await t.admin('POST', '/v1/admin/unlock', { channel: 'sms', to: null });
      expectValidation(unlock, 'to');
      expectValidation(await t.admin('POST', '/v1/admin/unlock', { channel: null, to: 'a@b.co' }));
      for (const path of postRoutes) {
        const r = await t.post(path, { to: null }, path.startsWith('/v1/admin') ? asAdmin : {});
        expectValidation(r);
      }
    });
  });

  describe('admin query ranges', () => {
    const cursor = (at: string, id: string) =>
      Buffer.from(JSON.stringify([at, id])).toString('base64url');

    it('should refuse cursors with an id beyond 64 bits or a date PostgreSQL cannot hold', async () => {
      for (const c of [
        cursor('2026-01-01T00:00:00.000Z', '9223372036854775808'),
        cursor('2026-01-01T00:00:00.000Z', '9999999999999999999'),
        cursor('+275760-09-13T00:00:00.000Z', '1'),
        cursor('-271821-04-20T00:00:00.000Z', '1'),
        cursor('2026-02-30T00:00:00.000Z', '1'),
      ]) {
        expectValidation(await t.admin('GET', `/v1/admin/audit-events?cursor=${c}`), 'cursor');
      }
      const ok = await t.admin(
        'GET',
        `/v1/admin/audit-events?cursor=${cursor('2026-01-01T00:00:00.000Z', '9223372036854775807')}`,
      );
      expect(ok.status).toBe(200);
    });

    it('should range-check since, until and limit with details', async () => {
      for (const [q, field] of [
        ['since=0000-01-01T00:00:00Z', 'since'],
        ['until=-0001-01-01T00:00:00Z', 'until'],
        ['since=%2B275760-09-13T00:00:00Z', 'since'],
        ['limit=1e309', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=99999999999999999999', 'limit'],
        ['limit=1&limit=2', 'limit'],
        ['type=a&type=b', 'type'],
      ]) {
        expectValidation(await t.admin('GET', `/v1/admin/audit-events?${q}`), field);
      }
      for (const q of ['since=0000-01-01T00:00:00Z', 'until=%2B275760-09-13T00:00:00Z']) {
        expectValidation(await t.admin('GET', `/v1/admin/stats?${q}`));
      }
      const oldest = await t.admin('GET', '/v1/admin/stats?since=1000-01-01T00:00:00Z');
      expect(oldest.status).toBe(200);
    });
  });

  describe('Content-Encoding', () => {
    const send = async (body: Buffer | string, encoding: string) => {
      const res = await fetch(`${t.baseUrl}/v1/otp/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    };
    const sendBody = (to: string) => JSON.stringify({ channel: 'sms', to, purpose: 'login' });

    it('should decode gzip, deflate and br bodies', async () => {
      for (const [encoding, encode] of [
        ['gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
        ['GZip', gzipSync],
      ] as const) {
        const to = uniquePhone();
        const r = await send(encode(Buffer.from(sendBody(to))), encoding);
        expect([encoding, r.status]).toEqual([encoding, 202]);
        expect(t.lastCode(to)).toMatch(/^\d{6}$/);
      }
    });

    it('should never read a plain body labelled gzip as JSON, nor send a code for it', async () => {
      const to = uniquePhone();
      const r = await send(sendBody(to), 'gzip');
      expectValidation(r as HttpResult);
      expect(() => t.lastCode(to)).toThrow();
    });

    it('should answer 415 UNSUPPORTED_MEDIA_TYPE for an encoding it does not decode', async () => {
      for (const encoding of ['zstd', 'compress', 'gzip, br', 'bogus']) {
        const to = uniquePhone();
        const r = await send(sendBody(to), encoding);
        expect(r.status).toBe(415);
        expect(r.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        expect(typeof r.body.message).toBe('string');
        expect(() => t.lastCode(to)).toThrow();
      }
    });

    it('should bound the decoded size like a plain body (16 KiB)', async () => {
      const bomb = gzipSync(Buffer.from(`{"x":"${'a'.repeat(2_000_000)}"}`));
      expect(bomb.length).toBeLessThan(16 * 1024);
      const r = await send(bomb, 'gzip');
      expectValidation(r as HttpResult);
      // The connection and the service are still fine.
      expect((await t.get('/health/live')).status).toBe(200);
    });
  });
});
