// Over 200 lines on purpose: a characterization table of everything the service can throw (its own
// AppErrors, Nest HttpExceptions, Fastify errors, database and network failures, anything else),
// each with the exact body toErrorBody answers, key order included (the reply is its JSON).
import { describe, expect, it } from '@jest/globals';
import {
  BadGatewayException,
  BadRequestException,
  ForbiddenException,
  GatewayTimeoutException,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { errorCodes } from 'fastify';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { AppError, validationError, type ErrorCode } from './app-error.js';
import { toErrorBody } from './error-response.js';

type Body = ReturnType<typeof toErrorBody>;

const invalid = (message: string): Body => ({
  statusCode: 400,
  code: 'VALIDATION_FAILED',
  message,
  details: [{ field: 'body', problem: message }],
});
const unparsable = invalid('Request could not be parsed');
const notFound: Body = { statusCode: 404, code: 'NOT_FOUND', message: 'Route not found' };
const dependencyDown: Body = {
  statusCode: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'A dependency is unavailable',
  retryAfter: 5,
};
const databaseDown: Body = {
  statusCode: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'Database unavailable; retry shortly',
  retryAfter: 5,
};
const internal: Body = { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };

/** An Error carrying the given own properties (code, statusCode, cause, driverError, …). */
const errorWith = (props: Record<string, unknown>, message = 'failed') =>
  Object.assign(new Error(message), props);
const pgError = (code: string, message = 'terminating') =>
  Object.assign(new DatabaseError(message, 0, 'error'), { code });

/** The body toErrorBody answers, compared as the JSON the client receives and as an object. */
function expectBody(err: unknown, expected: Body): void {
  const body = toErrorBody(err);
  expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
  expect(body).toStrictEqual(expected);
}

describe('toErrorBody', () => {
  describe('AppError', () => {
    it.each<[ErrorCode, number]>([
      ['VALIDATION_FAILED', 400],
      ['INVALID_RECIPIENT', 400],
      ['TOKEN_INVALID', 401],
      ['INVALID_CREDENTIALS', 401],
      ['UNAUTHORIZED', 401],
      ['COUNTRY_NOT_ALLOWED', 403],
      ['NUMBER_TYPE_NOT_ALLOWED', 403],
      ['DESTINATION_SUSPENDED', 403],
      ['CODE_NOT_FOUND', 404],
      ['NOT_FOUND', 404],
      ['CODE_EXPIRED', 410],
      ['UNSUPPORTED_MEDIA_TYPE', 415],
      ['CODE_INVALID', 422],
      ['SEND_COOLDOWN', 429],
      ['SEND_QUOTA_EXCEEDED', 429],
      ['RECIPIENT_LOCKED', 429],
      ['LOGIN_THROTTLED', 429],
      ['IP_RATE_LIMITED', 429],
      ['INTERNAL_ERROR', 500],
      ['DELIVERY_FAILED', 502],
      ['SERVICE_UNAVAILABLE', 503],
    ])('should answer %s with status %i and its own message', (code, statusCode) => {
      expectBody(new AppError(code, 'as thrown'), { statusCode, code, message: 'as thrown' });
    });

    it.each<[string, AppError, Body]>([
      [
        'retryAfter',
        new AppError('IP_RATE_LIMITED', 'Too many requests from this address; try again in 7 s', {
          retryAfter: 7,
        }),
        {
          statusCode: 429,
          code: 'IP_RATE_LIMITED',
          message: 'Too many requests from this address; try again in 7 s',
          retryAfter: 7,
        },
      ],
      [
        'attemptsLeft',
        new AppError('CODE_INVALID', 'Wrong code', { attemptsLeft: 0 }),
        { statusCode: 422, code: 'CODE_INVALID', message: 'Wrong code', attemptsLeft: 0 },
      ],
      [
        'details',
        validationError([{ field: 'to', problem: 'to must be a string' }]),
        {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'Request does not match the schema',
          details: [{ field: 'to', problem: 'to must be a string' }],
        },
      ],
      [
        'every field, in the order given',
        new AppError('SERVICE_UNAVAILABLE', 'Busy', {
          details: [],
          attemptsLeft: 1,
          retryAfter: 2,
        }),
        {
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: 'Busy',
          details: [],
          attemptsLeft: 1,
          retryAfter: 2,
        },
      ],
    ])('should carry the meta (%s) after the message', (_, err, expected) => {
      expectBody(err, expected);
    });

    it('should stay the AppError it is even when its message reads like a database outage', () => {
      expectBody(new AppError('CODE_INVALID', 'Connection terminated'), {
        statusCode: 422,
        code: 'CODE_INVALID',
        message: 'Connection terminated',
      });
    });
  });

  describe('Fastify and body errors', () => {
    it.each<[string, unknown, Body]>([
      [
        'invalid JSON',
        new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(),
        invalid('Body is not valid JSON'),
      ],
      ['empty JSON', new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), invalid('Body is empty')],
      [
        'too large',
        new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
        invalid('Body is larger than 16 KiB'),
      ],
      [
        'unsupported media type (415 from Fastify)',
        new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(),
        invalid('Content-Type must be application/json'),
      ],
      [
        'bad Content-Length',
        new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(),
        invalid('Content-Length does not match the body'),
      ],
      [
        'invalid Content-Type',
        new errorCodes.FST_ERR_CTP_INVALID_TYPE(),
        invalid('Content-Type header is invalid'),
      ],
      [
        'empty Content-Type',
        new errorCodes.FST_ERR_CTP_EMPTY_TYPE(),
        invalid('Content-Type header is empty'),
      ],
      [
        'a decoded body over the limit (body-decoding)',
        errorWith(
          { statusCode: 400, code: 'FST_ERR_CTP_BODY_TOO_LARGE' },
          'Decoded body is larger than the limit',
        ),
        invalid('Body is larger than 16 KiB'),
      ],
      [
        'an undecodable body (body-decoding)',
        errorWith({ statusCode: 400, code: 'CW_ERR_BODY_UNDECODABLE' }, 'incorrect header check'),
        invalid('Body could not be decoded with its Content-Encoding'),
      ],
      [
        'a known body code whatever its status',
        errorWith({ statusCode: 500, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }),
        invalid('Body is not valid JSON'),
      ],
      [
        'a known body code on an HttpException',
        Object.assign(new NotFoundException(), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
        invalid('Body is larger than 16 KiB'),
      ],
      ['a SyntaxError', new SyntaxError('Unexpected token } in JSON at position 9'), unparsable],
      [
        "Fastify's JSON parser error (SyntaxError, status 400)",
        Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 }),
        unparsable,
      ],
      [
        'a SyntaxError that reads like an outage',
        new SyntaxError('Connection terminated'),
        unparsable,
      ],
      ['a bad URL (FST_, 400)', new errorCodes.FST_ERR_BAD_URL('%zz'), unparsable],
      [
        'a Fastify validation error (FST_, 400)',
        new errorCodes.FST_ERR_VALIDATION('body/to'),
        unparsable,
      ],
      ['any FST_ code with status 400', { statusCode: 400, code: 'FST_ERR_ANYTHING' }, unparsable],
      ['a Fastify 404 (FST_, not 400)', new errorCodes.FST_ERR_NOT_FOUND(), internal],
      ['a Fastify 500', new errorCodes.FST_ERR_ASYNC_CONSTRAINT(), internal],
      ['a 400 whose code is not FST_', errorWith({ statusCode: 400, code: 'ERR_BAD' }), internal],
      [
        'an FST_ code with status "400" (a string)',
        errorWith({ statusCode: '400', code: 'FST_X' }),
        internal,
      ],
    ])('should answer %s', (_, err, expected) => {
      expectBody(err, expected);
    });
  });

  describe('HttpException', () => {
    it.each<[string, unknown, Body]>([
      ['NotFoundException (unknown route)', new NotFoundException('Cannot GET /v1/nope'), notFound],
      ['MethodNotAllowedException as an unknown route', new MethodNotAllowedException(), notFound],
      [
        'PayloadTooLargeException',
        new PayloadTooLargeException(),
        invalid('Body is larger than 16 KiB'),
      ],
      [
        'ServiceUnavailableException',
        new ServiceUnavailableException('Redis down'),
        dependencyDown,
      ],
      [
        'ServiceUnavailableException caused by a database outage',
        new ServiceUnavailableException('x', { cause: errorWith({ code: 'ECONNREFUSED' }) }),
        dependencyDown,
      ],
      [
        'BadRequestException',
        new BadRequestException('to must be a string'),
        invalid('to must be a string'),
      ],
      ['BadRequestException without a message', new BadRequestException(), invalid('Bad Request')],
      [
        'BadRequestException with an object response',
        new BadRequestException({ message: 'from an object', error: 'Bad Request' }),
        invalid('from an object'),
      ],
      [
        'BadRequestException caused by a database outage',
        new BadRequestException('bad', { cause: errorWith({ code: 'ECONNREFUSED' }) }),
        invalid('bad'),
      ],
      ['UnauthorizedException', new UnauthorizedException(), invalid('Unauthorized')],
      ['ForbiddenException', new ForbiddenException('no'), invalid('no')],
      [
        'UnsupportedMediaTypeException',
        new UnsupportedMediaTypeException(),
        invalid('Unsupported Media Type'),
      ],
      [
        'ThrottlerException',
        new ThrottlerException(),
        invalid('ThrottlerException: Too Many Requests'),
      ],
      [
        'ThrottlerException with a message',
        new ThrottlerException('Slow down'),
        invalid('Slow down'),
      ],
      ['a 410 HttpException', new HttpException('Gone', 410), invalid('Gone')],
      ['a 499 HttpException', new HttpException('Closed', 499), invalid('Closed')],
      ['InternalServerErrorException', new InternalServerErrorException(), internal],
      ['BadGatewayException', new BadGatewayException(), internal],
      ['GatewayTimeoutException', new GatewayTimeoutException(), internal],
      ['a 302 HttpException', new HttpException('Moved', 302), internal],
      [
        'a 500 HttpException caused by a database outage',
        new InternalServerErrorException('x', { cause: errorWith({ code: '57P01' }) }),
        databaseDown,
      ],
    ])('should answer %s', (_, err, expected) => {
      expectBody(err, expected);
    });
  });

  describe('database unavailable', () => {
    it.each([
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EHOSTUNREACH',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08001',
      '08003',
      '08006',
      '53300',
    ])('should answer 503 for the error code %s', (code) => {
      expectBody(errorWith({ code }), databaseDown);
    });

    it.each([
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Query read timeout',
      'Client has encountered a connection error and is not queryable',
      'Connection is closed.',
      'Cannot use a pool after calling end on the pool',
      'terminating connection due to administrator command',
      'CONNECTION TERMINATED',
    ])('should answer 503 for the message "%s"', (message) => {
      expectBody(new Error(message), databaseDown);
    });

    it.each<[string, unknown, Body]>([
      ['a pg DatabaseError 57P01', pgError('57P01'), databaseDown],
      [
        'a TypeORM QueryFailedError over it',
        new QueryFailedError('SELECT 1', [], pgError('57P03')),
        databaseDown,
      ],
      [
        'a driverError with the code',
        errorWith({ driverError: { code: 'ECONNREFUSED' } }),
        databaseDown,
      ],
      [
        'a cause three levels down',
        errorWith({ cause: { cause: { cause: { code: 'ECONNRESET' } } } }),
        databaseDown,
      ],
      [
        'a cause four levels down (not looked at)',
        errorWith({ cause: { cause: { cause: { cause: { code: 'ECONNRESET' } } } } }),
        internal,
      ],
      [
        'a cause behind a driverError (driverError is followed first)',
        errorWith({ driverError: {}, cause: { code: 'ECONNREFUSED' } }),
        internal,
      ],
      [
        'an AggregateError of refused connections',
        Object.assign(new AggregateError([errorWith({ code: 'ECONNREFUSED' })], ''), {
          code: 'ECONNREFUSED',
        }),
        databaseDown,
      ],
      ['a unique violation', pgError('23505', 'duplicate key value'), internal],
      ['a numeric code', errorWith({ code: 8006 }), internal],
      ['a message that is not a string', { message: ['Connection terminated'] }, internal],
    ])('should answer %s', (_, err, expected) => {
      expectBody(err, expected);
    });
  });

  describe('anything else', () => {
    it.each<[string, unknown]>([
      ['an Error', new Error('boom')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
      ['a string', 'boom'],
      ['a number', 42],
      ['zero', 0],
      ['false', false],
      ['an empty object', {}],
      ['an array', []],
      ['null', null],
      ['undefined', undefined],
      ['an error whose code is an Object.prototype member', { code: 'constructor' }],
      ['an error whose code is toString', Object.assign(new Error('x'), { code: 'toString' })],
    ])('should answer %s with 500 and no details', (_, err) => {
      expectBody(err, internal);
    });

    it('should build a new body for every call', () => {
      const first = toErrorBody(new Error('boom'));
      first.message = 'changed';

      expect(toErrorBody(new Error('boom')).message).toBe('Internal error');
    });
  });
});
