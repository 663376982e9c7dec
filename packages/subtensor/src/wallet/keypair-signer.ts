import type { ChainSigner } from '@pretrain/core';
import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * A {@link ChainSigner} backed by an sr25519 key pair loaded from a wallet. Only signers
 * made by this package can sign with `SubtensorClient`; the pair stays private and the
 * object prints as its address alone.
 */
export class KeypairSigner implements ChainSigner {
  readonly address: string;
  readonly #pair: KeyringPair;

  constructor(pair: KeyringPair) {
    this.#pair = pair;
    this.address = pair.address;
  }

  /** The key pair, for signing extrinsics. */
  get pair(): KeyringPair {
    return this.#pair;
  }

  /** Serialises as the address only, so a logged signer never leaks a secret. */
  toJSON(): { address: string } {
    return { address: this.address };
  }

  /** What `util.inspect` (and so `console.log`) shows. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KeypairSigner(${this.address})`;
  }
}

/** True when `signer` was made by this package's wallet code (also across module copies). */
export function isKeypairSigner(signer: ChainSigner): signer is KeypairSigner {
  if (signer instanceof KeypairSigner) return true;
  const pair = (signer as { pair?: Partial<KeyringPair> }).pair;
  return typeof pair?.sign === 'function' && pair.address === signer.address;
}
