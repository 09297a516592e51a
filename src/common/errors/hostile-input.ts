import type { ValidationProblem } from './app-error.js';

/** Deeper than any body or query the contract defines (they are flat); bounds every later walk. */
export const MAX_INPUT_DEPTH = 32;
const MAX_PROBLEMS = 10;

// C0 controls (U+0000-U+001F): PostgreSQL refuses NUL in text, and no field of the contract
// takes a control character (none allows a tab or a newline).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f]/;
// A UTF-16 surrogate without its pair cannot be encoded as UTF-8 (it would be stored as U+FFFD).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_KEYS = new Set(['__proto__']);

function stringProblem(s: string): string | undefined {
  if (CONTROL.test(s)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(s)) return 'must be well-formed Unicode (no unpaired surrogate)';
  return undefined;
}

const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * What makes an already parsed body or query unsafe to hand to the validator and the database,
 * whatever its route: nesting deeper than MAX_INPUT_DEPTH, control characters or unpaired
 * surrogates in any string or key, `__proto__` keys, null field values. Iterative, so no input
 * can exhaust the stack.
 */
export function hostileInputProblems(value: unknown, root: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) problems.push({ field: path || 'body', problem });
      continue;
    }
    if (v === null) {
      // No input field of the contract is nullable, and @IsOptional() lets null through to the
      // service as if it were a value: refuse it here, for every DTO at once.
      if (depth > 0) problems.push({ field: path, problem: 'must not be null (leave it out)' });
      continue;
    }
    if (typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      problems.push({
        field: path || 'body',
        problem: `must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
      });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.entries(v);
    for (const [key, item] of entries) {
      const at = child(path, key);
      if (typeof key === 'string') {
        const problem = FORBIDDEN_KEYS.has(key)
          ? 'is not an allowed field name'
          : stringProblem(key);
        if (problem) {
          // The name itself is shown escaped, so the answer carries no raw control character.
          problems.push({ field: child(path, JSON.stringify(key).slice(1, -1)), problem });
          continue;
        }
      }
      stack.push({ v: item, path: at, depth: depth + 1 });
    }
  }
  return problems;
}
