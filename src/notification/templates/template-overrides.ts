import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '#src/config/app-config.js';
import { PASSWORD_CHANGED } from './builtin-templates.js';

export type TemplatePart = 'sms' | 'subject' | 'text' | 'html';

export const LOCALES: readonly Locale[] = ['en', 'ru', 'uz'];

// <dir>/<locale>/<purpose>.sms.txt | .email.subject.txt | .email.txt | .email.html
const FILE = /^([a-z][a-z0-9_]{0,39})\.(sms\.txt|email\.subject\.txt|email\.txt|email\.html)$/;
const PART: Record<string, TemplatePart> = {
  'sms.txt': 'sms',
  'email.subject.txt': 'subject',
  'email.txt': 'text',
  'email.html': 'html',
};
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

export class TemplateError extends Error {}

/** Override texts keyed `<locale>/<purpose>.<part>`. */
export type TemplateOverrides = ReadonlyMap<string, string>;

export const overrideKey = (locale: Locale, purpose: string, part: TemplatePart): string =>
  `${locale}/${purpose}.${part}`;

/**
 * Reads every override file once, at boot, and checks its placeholders: an OTP template must show
 * {{code}}; the password-changed notice has no code or lifetime to show. Throws TemplateError
 * naming each bad file, so a typo never reaches a user.
 */
export function loadTemplateOverrides(dir: string | undefined): TemplateOverrides {
  const found = new Map<string, string>();
  if (!dir) return found;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TemplateError(`TEMPLATES_DIR ${dir} is not a directory`);
  }
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const localeDir = join(dir, locale);
    if (!existsSync(localeDir)) continue;
    for (const file of readdirSync(localeDir)) {
      const m = FILE.exec(file);
      if (!m) continue;
      const [, purpose, suffix] = m;
      const part = PART[suffix];
      const raw = readFileSync(join(localeDir, file), 'utf8');
      const body = part === 'html' || part === 'text' ? raw.trimEnd() : raw.trim();
      const problem = checkPlaceholders(body, purpose, part);
      if (problem) problems.push(`${locale}/${file}: ${problem}`);
      found.set(overrideKey(locale, purpose, part), body);
    }
  }
  if (problems.length > 0) {
    throw new TemplateError(`Invalid templates in ${dir}:\n  - ${problems.join('\n  - ')}`);
  }
  return found;
}

function checkPlaceholders(body: string, purpose: string, part: TemplatePart): string | null {
  if (body.length === 0) return 'is empty';
  const names = [...body.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const allowed = purpose === PASSWORD_CHANGED ? ['product'] : ['code', 'minutes', 'product'];
  const unknown = names.filter((n) => !allowed.includes(n));
  if (unknown.length > 0) return `unknown placeholder {{${unknown[0]}}}`;
  if (purpose === PASSWORD_CHANGED && part === 'sms') return 'the notice is sent by email only';
  if (purpose !== PASSWORD_CHANGED && part !== 'subject' && !names.includes('code')) {
    return 'must contain {{code}}';
  }
  if (part === 'subject' && body.includes('\n')) return 'a subject is one line';
  return null;
}
