import { describe, expect, it } from '@jest/globals';
import { ENV_SCHEMA } from './env.schema.js';
import { NOTIFICATION_ENV_SCHEMA } from './notification.env.js';
import { OPERATIONS_ENV_SCHEMA } from './operations.env.js';
import { OTP_ENV_SCHEMA } from './otp.env.js';
import { RATE_LIMIT_ENV_SCHEMA } from './rate-limit.env.js';
import { SERVER_ENV_SCHEMA } from './server.env.js';

describe('ENV_SCHEMA', () => {
  it('should declare each variable in exactly one area', () => {
    // A name spread from two areas would silently keep only the later declaration.
    const names = [
      SERVER_ENV_SCHEMA,
      OTP_ENV_SCHEMA,
      RATE_LIMIT_ENV_SCHEMA,
      NOTIFICATION_ENV_SCHEMA,
      OPERATIONS_ENV_SCHEMA,
    ].flatMap((area) => Object.keys(area));
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    expect(names).toEqual(Object.keys(ENV_SCHEMA));
  });
});
