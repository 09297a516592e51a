import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock.js';
import { CryptoRandomSource, RandomSource } from './crypto/random-source.js';
import { TokenSigner } from './crypto/token-signer.js';

/** Clock, randomness and token signing; clock and randomness are replaceable in tests. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
    TokenSigner,
  ],
  exports: [Clock, RandomSource, TokenSigner],
})
export class CommonModule {}
