// Jest on Node 20 cannot require() an ESM package from a CommonJS one, which @nestjs/throttler
// (CommonJS) does with the ESM-only NestJS 12 packages. Plain Node 20.19+ can, so this is a
// test-runner shim only: throttler's requires of @nestjs/common/core read the very ESM module
// instances the test loaded (see jest-nest-esm.setup.ts).
module.exports = {
  process(source) {
    return {
      code: source.replace(
        /require\("(@nestjs\/(?:common|core))"\)/g,
        'globalThis.__nestEsm["$1"]',
      ),
    };
  },
};
