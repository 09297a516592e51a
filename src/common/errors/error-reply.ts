import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from './error-body.js';

export const ERROR_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Writes the contract's error reply: the body's status, JSON content type, `Retry-After` when the
 * body carries `retryAfter`, and the body itself (with `requestId` when a request is known).
 */
export function sendErrorReply(reply: FastifyReply, body: ErrorBody): FastifyReply {
  if (body.retryAfter !== undefined) void reply.header('Retry-After', String(body.retryAfter));
  return reply.status(body.statusCode).header('content-type', ERROR_CONTENT_TYPE).send(body);
}

/**
 * The same reply as raw HTTP/1.1 bytes, for a socket Node could not parse a request from (no
 * request, so no reply object and no request id); the connection is closed after it.
 */
export function rawErrorReply(body: ErrorBody): string {
  const json = JSON.stringify(body);
  const retryAfter =
    body.retryAfter !== undefined ? `retry-after: ${String(body.retryAfter)}\r\n` : '';
  return (
    `HTTP/1.1 ${String(body.statusCode)} ${STATUS_CODES[body.statusCode] ?? ''}\r\n` +
    `content-type: ${ERROR_CONTENT_TYPE}\r\n${retryAfter}` +
    `content-length: ${String(Buffer.byteLength(json))}\r\nconnection: close\r\n\r\n${json}`
  );
}
