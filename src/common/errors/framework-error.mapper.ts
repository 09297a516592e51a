import { BODY_TOO_LARGE, invalidBody, type ErrorBody } from './error-body.js';

// Fastify's content-type parser codes, and body-decoding's (which reuses the too-large one).
const FASTIFY_BODY_ERRORS: Readonly<Record<string, string>> = Object.freeze({
  FST_ERR_CTP_INVALID_JSON_BODY: 'Body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Body is empty',
  FST_ERR_CTP_BODY_TOO_LARGE: BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_INVALID_TYPE: 'Content-Type header is invalid',
  FST_ERR_CTP_EMPTY_TYPE: 'Content-Type header is empty',
  CW_ERR_BODY_UNDECODABLE: 'Body could not be decoded with its Content-Encoding',
});

/**
 * The framework refusing the request itself, all 400 VALIDATION_FAILED: a body code above (named
 * by its own message, whatever its status), a SyntaxError, or any other FST_ error with status 400.
 */
export function frameworkErrorBody(err: unknown): ErrorBody | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  // Own keys only: a code such as `constructor` must not find Object.prototype's members.
  if (typeof e.code === 'string' && Object.hasOwn(FASTIFY_BODY_ERRORS, e.code)) {
    return invalidBody(FASTIFY_BODY_ERRORS[e.code]);
  }
  if (
    err instanceof SyntaxError ||
    (e.statusCode === 400 && typeof e.code === 'string' && e.code.startsWith('FST_'))
  ) {
    return invalidBody('Request could not be parsed');
  }
  return undefined;
}
