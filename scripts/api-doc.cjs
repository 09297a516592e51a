#!/usr/bin/env node
// Keeps docs/api.md (the HTTP contract) in step with the code, without building or running it:
// the TypeScript sources are read as syntax trees.
//
//   node scripts/api-doc.cjs --check   (npm run docs:check, in CI) fails when
//     - a code of the contract's error table answers another status in statusOf()
//       (src/common/errors/error-status.ts), or the code has an ErrorCode
//       (src/common/errors/app-error.ts) the doc does not list;
//     - a variable of the contract's configuration table has another default in ENV_SCHEMA
//       (src/config/env.schema.ts), or ENV_SCHEMA has a variable the doc does not list;
//     - the generated table of further variables is out of date.
//     Contract entries the code does not implement yet are printed, not failed: the contract may
//     lead the code, but the code may never contradict it or do something it does not describe.
//   node scripts/api-doc.cjs --write   (npm run docs:write) rewrites the generated table.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const ROOT = join(__dirname, '..');
const DOC = join(ROOT, 'docs/api.md');
const ERROR_CODES_TS = join(ROOT, 'src/common/errors/app-error.ts');
const ERROR_STATUS_TS = join(ROOT, 'src/common/errors/error-status.ts');
const ENV_SCHEMA_TS = join(ROOT, 'src/config/env.schema.ts');
/** Codes the doc describes in prose under the table rather than in it. */
const PROSE_CODES = new Set(['NOT_FOUND', 'INTERNAL_ERROR']);
/** Doc defaults that describe behaviour rather than a literal value. */
const NOT_A_LITERAL = /^(\(unset\)|—|\(all\)|\(dev: generated\)|.*\(dev\))$/;
const BEGIN = '<!-- generated:further-env (npm run docs:write) -->';
const END = '<!-- /generated:further-env -->';

function parse(file) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function find(node, test) {
  if (test(node)) return node;
  return ts.forEachChild(node, (child) => find(child, test));
}

/** The string literals of `export type ErrorCode = 'A' | 'B' | ...`. */
function errorCodes() {
  const alias = find(
    parse(ERROR_CODES_TS),
    (n) => ts.isTypeAliasDeclaration(n) && n.name.text === 'ErrorCode',
  );
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error('ErrorCode union not found');
  return alias.type.types.map((t) => t.literal.text);
}

/** code -> status from the `switch` of statusOf(): case labels fall through to a `return N`. */
function statuses() {
  const fn = find(
    parse(ERROR_STATUS_TS),
    (n) => ts.isFunctionDeclaration(n) && n.name && n.name.text === 'statusOf',
  );
  const sw = fn && find(fn, (n) => ts.isSwitchStatement(n));
  if (!sw) throw new Error('statusOf switch not found');
  const map = new Map();
  let pending = [];
  for (const clause of sw.caseBlock.clauses) {
    if (ts.isCaseClause(clause)) pending.push(clause.expression.text);
    const ret = clause.statements.find((s) => ts.isReturnStatement(s));
    if (ret) {
      for (const code of pending) map.set(code, Number(ret.expression.text));
      pending = [];
    }
  }
  return map;
}

/**
 * name -> { default, sensitive } from `export const ENV_SCHEMA = { NAME: { default: '…', … } }`,
 * following `...OTHER_SCHEMA` spreads into the files they are imported from.
 */
function envSchema(file = ENV_SCHEMA_TS, name = 'ENV_SCHEMA', vars = new Map()) {
  const source = parse(file);
  const decl = find(source, (n) => ts.isVariableDeclaration(n) && n.name.text === name);
  let init = decl && decl.initializer;
  while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)))
    init = init.expression;
  if (!init || !ts.isObjectLiteralExpression(init)) throw new Error(`${name} not found`);
  for (const prop of init.properties) {
    if (ts.isSpreadAssignment(prop) && ts.isIdentifier(prop.expression)) {
      envSchema(importedFrom(source, file, prop.expression.text), prop.expression.text, vars);
      continue;
    }
    if (!ts.isPropertyAssignment(prop)) continue;
    const spec = { default: undefined, sensitive: false };
    if (ts.isObjectLiteralExpression(prop.initializer)) {
      for (const field of prop.initializer.properties) {
        if (!ts.isPropertyAssignment(field)) continue;
        const value = field.initializer;
        if (field.name.text === 'default' && ts.isStringLiteralLike(value))
          spec.default = value.text;
        if (field.name.text === 'sensitive')
          spec.sensitive = value.kind === ts.SyntaxKind.TrueKeyword;
      }
    }
    vars.set(prop.name.text, spec);
  }
  return vars;
}

/** The .ts file a name is imported from (`import { NAME } from './x.js'`) in a source file. */
function importedFrom(source, file, name) {
  const imp = find(
    source,
    (n) =>
      ts.isImportDeclaration(n) &&
      n.importClause?.namedBindings &&
      ts.isNamedImports(n.importClause.namedBindings) &&
      n.importClause.namedBindings.elements.some((e) => e.name.text === name),
  );
  if (!imp) throw new Error(`${name} is not imported in ${file}`);
  return join(file, '..', imp.moduleSpecifier.text.replace(/\.js$/, '.ts'));
}

/** The rows of the first Markdown table after `heading`, as arrays of trimmed cells. */
function tableAfter(doc, heading) {
  const start = doc.indexOf(heading);
  if (start < 0) throw new Error(`docs/api.md has no "${heading}"`);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const unquote = (cell) => cell.replace(/^`|`$/g, '');

function furtherEnvTable(vars, documented) {
  const rows = [...vars]
    .filter(([name]) => !documented.has(name))
    .map(([name, spec]) => {
      const def =
        spec.default === undefined || spec.default === '' ? '(unset)' : `\`${spec.default}\``;
      return `| ${name} | ${def} | ${spec.sensitive ? 'yes' : ''} |`;
    });
  return ['| variable | default | secret |', '| --- | --- | --- |', ...rows].join('\n');
}

function main(mode) {
  const doc = readFileSync(DOC, 'utf8');
  const problems = [];
  const pending = [];

  const codes = errorCodes();
  const statusOf = statuses();
  const docCodes = new Map(
    tableAfter(doc, '## Errors').map(([code, status]) => [code, Number(status)]),
  );
  for (const [code, status] of docCodes) {
    if (!codes.includes(code)) pending.push(`error code ${code} (${status})`);
    else if (statusOf.get(code) !== status) {
      problems.push(`${code}: the doc says ${status}, statusOf() answers ${statusOf.get(code)}`);
    }
  }
  for (const code of codes) {
    if (!docCodes.has(code) && !PROSE_CODES.has(code)) {
      problems.push(`${code} (ErrorCode) is not in the doc's error table`);
    }
  }

  const vars = envSchema();
  const documented = new Set();
  for (const [names, defaults] of tableAfter(doc, '## Configuration')) {
    const nameList = names.split(',').map((s) => s.trim());
    const defaultList = nameList.length > 1 ? defaults.split(',').map((s) => s.trim()) : [defaults];
    nameList.forEach((name, i) => {
      documented.add(name);
      const spec = vars.get(name);
      const def = unquote(defaultList[i] ?? '');
      if (!spec) pending.push(`variable ${name}`);
      else if (!NOT_A_LITERAL.test(def) && def !== (spec.default ?? '')) {
        problems.push(`${name}: the doc's default is "${def}", ENV_SCHEMA's is "${spec.default}"`);
      }
    });
  }

  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error('docs/api.md lacks the generated-table markers');
  const generated = `${BEGIN}\n${furtherEnvTable(vars, documented)}\n${END}`;
  const updated = doc.slice(0, begin) + generated + doc.slice(end + END.length);

  if (pending.length > 0) {
    console.log(`In the contract, not implemented yet:\n  ${pending.join('\n  ')}`);
  }
  if (mode === '--write') {
    writeFileSync(DOC, updated);
  } else if (updated !== doc) {
    problems.push('the table of further variables is out of date: run `npm run docs:write`');
  }
  if (problems.length > 0) {
    console.error(`docs/api.md and the code disagree:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

const mode = process.argv[2];
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: node scripts/api-doc.cjs --check | --write');
  process.exit(2);
}
process.exit(main(mode));
