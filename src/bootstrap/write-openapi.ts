// `npm run openapi:write` and `npm run openapi:check`: the OpenAPI document of the code, built
// without a database, a cache or a listening socket.
//
//   node dist/src/bootstrap/write-openapi.js <file>           writes the document to <file>
//   node dist/src/bootstrap/write-openapi.js --check <file>   exits 1 when <file> differs from it
import { readFileSync, writeFileSync } from 'node:fs';
import { renderOpenApi } from './openapi-document.js';

async function main(args: string[]): Promise<number> {
  const check = args[0] === '--check';
  const file = check ? args[1] : args[0];
  if (!file) {
    process.stderr.write('usage: write-openapi.js [--check] <file>\n');
    return 2;
  }
  const document = await renderOpenApi();
  if (!check) {
    writeFileSync(file, document);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // a missing file is a difference like any other
  }
  if (committed === document) return 0;
  process.stderr.write(
    `${file} does not match the OpenAPI document of the code. Run \`npm run openapi:write\` ` +
      'and commit the result.\n',
  );
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
