import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { AppError } from '#src/common/errors/app-error.js';

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};
export const DECODED_ENCODINGS = Object.keys(DECODERS);

/** A body error the HTTP filter maps to 400 VALIDATION_FAILED (same code as Fastify's own). */
class BodyError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'FST_ERR_CTP_BODY_TOO_LARGE' | 'CW_ERR_BODY_UNDECODABLE',
    message: string,
  ) {
    super(message);
  }
}

/** Passes bytes through until `limit` of them have gone by, then fails the stream. */
class LimitedStream extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      done(new BodyError('FST_ERR_CTP_BODY_TOO_LARGE', 'Decoded body is larger than the limit'));
      return;
    }
    done(null, chunk);
  }
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Fastify preParsing step: a body in gzip, deflate or br is decoded, its decoded size bounded by
 * `limit` (a zip bomb stops at the limit); `identity` is plain; any other Content-Encoding,
 * or a list of several, answers 415 UNSUPPORTED_MEDIA_TYPE. Never read as if it were plain.
 */
export function decodeBody(req: IncomingMessage, payload: Readable, limit: number): Readable {
  const header = req.headers['content-encoding'];
  if (header === undefined || !hasBody(req)) return payload;
  const encoding = header.trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  const decoder = DECODERS[encoding];
  if (!decoder) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding must be one of identity, ${DECODED_ENCODINGS.join(', ')}`,
    );
  }
  // Fastify never reads a GET or HEAD body: nothing to decode, and nothing may wait on a decoder.
  if (req.method === 'GET' || req.method === 'HEAD') return payload;
  const decode = decoder();
  const limited = new LimitedStream(limit);
  const out = limited as Transform & { receivedEncodedLength?: number };
  let encodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    encodedLength += chunk.length;
    out.receivedEncodedLength = encodedLength; // Fastify checks Content-Length against this
  });
  const stop = () => {
    payload.unpipe(decode);
    decode.destroy();
    payload.resume(); // discard the rest, so a keep-alive connection can carry the next request
  };
  const fail = (err: Error) => {
    stop();
    limited.destroy(
      err instanceof BodyError
        ? err
        : new BodyError('CW_ERR_BODY_UNDECODABLE', `Body is not valid ${encoding}`),
    );
  };
  decode.on('error', fail);
  limited.on('error', stop);
  payload.on('error', fail);
  payload.pipe(decode).pipe(limited);
  return limited;
}
