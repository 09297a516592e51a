import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The secrets a development run generates for itself when the environment leaves them unset. */
export interface DevSecrets {
  otpPepper: string;
  tokenSecret: string;
  adminApiKey: string;
}

/** Development secrets are generated once and kept under DATA_DIR so restarts keep codes valid. */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    otpPepper: randomBytes(32).toString('base64url'),
    tokenSecret: randomBytes(32).toString('base64url'),
    adminApiKey: randomBytes(24).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
