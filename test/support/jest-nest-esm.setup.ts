// Companion of jest-cjs-nest-bridge.cjs: exposes the ESM NestJS modules to bridged CommonJS code.
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as { __nestEsm?: Record<string, unknown> }).__nestEsm = {
  '@nestjs/common': common,
  '@nestjs/core': core,
};
