import { describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { rawErrorReply, sendErrorReply } from './error-reply.js';
import type { ErrorBody } from './error-body.js';

/** Records what sendErrorReply writes; Fastify's own reply is exercised by the e2e suites. */
class RecordingReply {
  statusCode = 200;
  headers: Record<string, string> = {};
  sent: unknown;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  send(payload: unknown): this {
    this.sent = payload;
    return this;
  }
}

const limited: ErrorBody = {
  statusCode: 429,
  code: 'IP_RATE_LIMITED',
  message: 'Too many requests from this address; try again in 7 s',
  retryAfter: 7,
  requestId: 'req-1',
};

describe('sendErrorReply', () => {
  it('should write the status, JSON content type, Retry-After and the body with its requestId', () => {
    const reply = new RecordingReply();

    sendErrorReply(reply as unknown as FastifyReply, limited);

    expect(reply.statusCode).toBe(429);
    expect(reply.headers).toEqual({
      'retry-after': '7',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(reply.sent).toEqual(limited);
  });

  it('should send no Retry-After when the body has no retryAfter', () => {
    const reply = new RecordingReply();

    sendErrorReply(reply as unknown as FastifyReply, {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Route not found',
    });

    expect(reply.statusCode).toBe(404);
    expect(reply.headers['retry-after']).toBeUndefined();
  });
});

describe('rawErrorReply', () => {
  it('should serialise the same body as an HTTP/1.1 response that closes the connection', () => {
    const body: ErrorBody = {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Malformed HTTP request',
      details: [{ field: 'request', problem: 'HPE_INVALID_METHOD' }],
    };
    const json = JSON.stringify(body);

    expect(rawErrorReply(body)).toBe(
      'HTTP/1.1 400 Bad Request\r\n' +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${String(Buffer.byteLength(json))}\r\n` +
        `connection: close\r\n\r\n${json}`,
    );
  });

  it('should carry Retry-After when the body has retryAfter', () => {
    expect(rawErrorReply({ ...limited, requestId: undefined })).toMatch(
      /^HTTP\/1\.1 429 Too Many Requests\r\n.*retry-after: 7\r\n/s,
    );
  });
});
