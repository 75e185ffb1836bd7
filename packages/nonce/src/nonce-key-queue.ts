import type { Clock, TimerHandle } from '@krakenkit/plugin-api';

interface Waiter {
  grant(): void;
  timer: TimerHandle | undefined;
}

interface KeyState {
  waiters: Waiter[];
}

/** Releases a held key; calling it more than once is harmless. */
export type ReleaseKey = () => void;

/**
 * An in-process FIFO lock per key. Callers of one process queue here in arrival order
 * instead of racing for the cross-process lock (file, Redis) and polling against each other.
 */
export class NonceKeyQueue {
  readonly #held = new Map<string, KeyState>();

  constructor(private readonly clock: Clock) {}

  /** True while some caller holds `key`. */
  isHeld(key: string): boolean {
    return this.#held.has(key);
  }

  /**
   * Resolves once `key` is held by the caller, in arrival order. Rejects with
   * `onTimeout()` after `timeoutMs` without taking the key.
   */
  acquire(key: string, timeoutMs: number, onTimeout: () => Error): Promise<ReleaseKey> {
    const state = this.#held.get(key);
    if (state === undefined) {
      this.#held.set(key, { waiters: [] });
      return Promise.resolve(this.#releaser(key));
    }
    return new Promise<ReleaseKey>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          this.clock.clearTimeout(waiter.timer);
          resolve(this.#releaser(key));
        },
        timer: undefined,
      };
      waiter.timer = this.clock.setTimeout(() => {
        const index = state.waiters.indexOf(waiter);
        if (index >= 0) state.waiters.splice(index, 1);
        reject(onTimeout());
      }, timeoutMs);
      waiter.timer.unref();
      state.waiters.push(waiter);
    });
  }

  #releaser(key: string): ReleaseKey {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const state = this.#held.get(key);
      const next = state?.waiters.shift();
      // The key passes straight to the next waiter, so nobody can cut in between.
      if (next) next.grant();
      else this.#held.delete(key);
    };
  }
}
