/**
 * What may reach a log line, whatever fails and whatever the level: no recipient in clear, no
 * password or hash, no token, no code, no query parameter (API.md, "Admin"). Errors are reduced
 * to their class, a redacted message, a code and stack frames; free text is redacted by pattern.
 */

const RULES: [RegExp, string][] = [
  // `Key (email)=(a@b.c) already exists` (PostgreSQL detail) and similar key=value echoes.
  [/\(([^()]*)\)=\([^()]*\)/g, '($1)=([redacted])'],
  // Quoted values: `invalid input syntax for type uuid: "..."`, `value "..." is out of range`.
  [/"[^"\n]*"/g, '"[redacted]"'],
  [/'[^'\n]*'/g, "'[redacted]'"],
  // Password hashes in modular crypt format ($argon2id$..., $pbkdf2-sha256$...).
  [/\$[a-z0-9-]{2,}\$[^\s"']+/gi, '[hash]'],
  // Tokens: JWT-like (three base64url parts) and long opaque secrets.
  [/\b[\w-]{8,}\.[\w-]{8,}\.[\w-]{4,}\b/g, '[token]'],
  [/\b(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-)[A-Za-z0-9_-]{32,}\b/gi, '[secret]'],
  // Email addresses (a masked one, `j***@example.com`, is left as it is).
  [/[^\s@"'<>()[\]{},;:*]+@[^\s@"'<>()[\]{},;:]+/g, '[email]'],
  // Phone numbers (+ and 6 or more digits, however spaced) and bare runs of 7 or more digits.
  [/\+\d[\d\s().-]{5,}\d/g, '[phone]'],
  [/(?<![\w.:])\d{7,}(?![\w:]|\.\d)/g, '[number]'],
  // Codes: runs of 4-6 digits standing alone (ports after a colon and decimals are kept).
  [/(?<![\w.:$-])\d{4,6}(?![\w:-]|\.\d)/g, '[number]'],
];

/** Free text with recipients, codes, tokens, hashes and echoed values replaced. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

export interface SafeError {
  /** The error's class (`class`, because pino's own serializer overwrites `type`). */
  class: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SafeError;
}

// Objects safeError made: nothing left to redact (their codes are error codes, not OTPs).
const SAFE = new WeakSet<object>();

// Error codes worth keeping: SQLSTATEs (23505), errno names (ECONNREFUSED), FST_/ERR_ codes.
const ERROR_CODE = /^[A-Z0-9_]{2,40}$/;

/**
 * An error as a log line may show it. Never copies a property: TypeORM's QueryFailedError holds
 * `query` and `parameters`, pg errors `detail`, `where` and `parameters`, provider errors bodies.
 */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) {
    return { class: typeof err, message: redactText(String(err)).slice(0, 500) };
  }
  const name = err.constructor?.name;
  const out: SafeError = {
    class: name && name !== 'Object' ? name : err.name,
    message: redactText(err.message ?? '').slice(0, 500),
  };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && ERROR_CODE.test(code)) out.code = code;
  const stack = framesOf(err.stack);
  if (stack) out.stack = stack;
  const cause = (err as { cause?: unknown; driverError?: unknown }).driverError ?? err.cause;
  if (cause !== undefined && cause !== err && depth < 3) out.cause = safeError(cause, depth + 1);
  SAFE.add(out);
  return out;
}

// Frames only: the first lines of a stack repeat the (unredacted) message.
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length > 0 ? frames.slice(0, 15).join('\n') : undefined;
}

/**
 * pino's `err` serializer, which pino-http runs after its own: rebuilds the line from the class,
 * redacted message, code and frames, whatever object (or SafeError) it is given.
 */
export function serializeLoggedError(o: unknown, depth = 0): unknown {
  if (o === null || typeof o !== 'object') return o;
  const e = o as Record<string, unknown>;
  const out: SafeError = {
    class: typeof e.class === 'string' ? e.class : typeof e.type === 'string' ? e.type : 'Error',
    message: redactText(typeof e.message === 'string' ? e.message : '').slice(0, 500),
  };
  if (typeof e.code === 'string' && ERROR_CODE.test(e.code)) out.code = e.code;
  const stack = framesOf(e.stack);
  if (stack) out.stack = stack;
  if (e.cause && depth < 3) out.cause = serializeLoggedError(e.cause, depth + 1) as SafeError;
  return out;
}

// Keys whose values never reach a log, whatever they hold.
const SECRET_KEYS =
  /pass(word)?|secret|token|authorization|cookie|otp|hash|parameters|query$|^to$|^code$|^email$|^phone$/i;
// Identifiers the service itself makes (request ids are UUIDs or checked [A-Za-z0-9._:-]).
const PLAIN_KEYS = new Set(['requestId', 'context', 'route', 'method', 'stack', 'class']);
const KEPT_KEYS = new Set(['code']); // an error code (VALIDATION_FAILED) is kept, digits are not

/** A log argument with every Error made safe and every string redacted (bounded depth). */
export function redactLogValue(value: unknown, key = '', depth = 0): unknown {
  if (value instanceof Error) return safeError(value);
  if (typeof value === 'object' && value !== null && SAFE.has(value)) return value;
  if (typeof value === 'string') {
    if (PLAIN_KEYS.has(key)) return value;
    if (SECRET_KEYS.test(key) && !(KEPT_KEYS.has(key) && /^[A-Z][A-Z_]+$/.test(value))) {
      return '[redacted]';
    }
    return redactText(value);
  }
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactLogValue(v, key, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value; // Date, Buffer...
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      SECRET_KEYS.test(k) && typeof v === 'object' && v !== null
        ? '[redacted]'
        : redactLogValue(v, k, depth + 1);
  }
  return out;
}
