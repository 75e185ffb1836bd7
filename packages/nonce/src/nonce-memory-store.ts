import { nextNonce } from './nonce-scale.js';
import type { NonceLease, NonceRequest, NonceStore } from './nonce-store.js';

/**
 * Keeps each key's last nonce in this process only. Correct for one process per API key;
 * after a restart nonces continue from the clock, so it relies on the clock not having gone
 * back. The send lock is the provider's in-process queue, so `acquire` takes no lock here.
 */
export class MemoryNonceStore implements NonceStore {
  readonly storage = 'memory';
  readonly #last = new Map<string, bigint>();

  private constructor() {}

  static create(): MemoryNonceStore {
    return new MemoryNonceStore();
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  async issue(request: NonceRequest): Promise<bigint> {
    return this.#issue(request);
  }

  async acquire(request: NonceRequest): Promise<NonceLease> {
    let active = true;
    return {
      nonce: this.#issue(request),
      get active() {
        return active;
      },
      issue: async (next) => this.#issue(next),
      raiseFloor: (atLeast) => this.raiseFloor(request.keyHash, atLeast),
      release: async () => {
        active = false;
      },
    };
  }

  async raiseFloor(keyHash: string, atLeast: bigint): Promise<void> {
    if (atLeast > (this.#last.get(keyHash) ?? 0n)) this.#last.set(keyHash, atLeast);
  }

  // Synchronous read-modify-write: no other caller can interleave on one event loop.
  #issue(request: NonceRequest): bigint {
    const nonce = nextNonce(this.#last.get(request.keyHash) ?? 0n, request.clockNonce(), request.keyHash);
    this.#last.set(request.keyHash, nonce);
    return nonce;
  }
}
