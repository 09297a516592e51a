import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock.js';
import { CryptoRandomSource, RandomSource } from './crypto/random-source.js';

/** Clock and randomness, replaceable in tests with `overrideProvider`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
  ],
  exports: [Clock, RandomSource],
})
export class CommonModule {}
