import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock.js';
import { CryptoRandomSource, RandomSource } from './crypto/random-source.js';
import { TokenSigner } from './crypto/token-signer.js';
import { RecipientNormalizer } from './recipient/recipient-normalizer.js';

/**
 * Clock, randomness, token signing and recipient normalisation, provided once for every module;
 * clock and randomness are replaceable in tests.
 */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
    TokenSigner,
    RecipientNormalizer,
  ],
  exports: [Clock, RandomSource, TokenSigner, RecipientNormalizer],
})
export class CommonModule {}
