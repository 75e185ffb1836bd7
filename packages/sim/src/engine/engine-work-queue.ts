import type { TimerHandle } from '@krakenkit/plugin-api';
import type { SimClock } from '../sim-clock.js';

interface WorkItem {
  run: () => void;
  /** Needs the matching engine (waits while the system status stops matching). */
  needsMatching: boolean;
}

/**
 * Deferred engine work: triggered orders and conditional closes run *after* the matching
 * that caused them completes (never re-entering `executeTaker`). A command runs in
 * {@link WorkQueue.command}; when the outermost command ends the queue drains, so a
 * command still emits all its consequences before it returns. Work pushed outside a
 * command (a background trade crossed a stop) drains on a zero-delay clock timer. Work
 * that needs matching waits while matching is off (`cancel_only`, `post_only`,
 * `maintenance`) until {@link WorkQueue.resume}.
 */
export class WorkQueue {
  readonly #items: WorkItem[] = [];
  #depth = 0;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(
    private readonly clock: SimClock,
    private readonly canMatch: () => boolean,
    private readonly reportError: (error: unknown) => void,
  ) {}

  get pending(): number {
    return this.#items.length;
  }

  push(run: () => void, needsMatching = true): void {
    this.#items.push({ run, needsMatching });
    if (this.#depth === 0) this.#schedule();
  }

  /** Runs a command; the queue drains when the outermost command returns (or throws). */
  command<T>(run: () => T): T {
    this.#depth += 1;
    try {
      return run();
    } finally {
      this.#depth -= 1;
      if (this.#depth === 0) this.#drain();
    }
  }

  /** Matching is possible again: run what waited. */
  resume(): void {
    if (this.#depth === 0) this.#drain();
  }

  stop(): void {
    this.#stopped = true;
    this.clock.clearTimeout(this.#timer);
    this.#items.length = 0;
  }

  #schedule(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, 0);
    this.#timer.unref();
  }

  #drain(): void {
    if (this.#stopped) return;
    this.#depth += 1;
    try {
      let index = 0;
      while (index < this.#items.length) {
        const item = this.#items[index]!;
        if (item.needsMatching && !this.canMatch()) {
          index += 1;
          continue;
        }
        this.#items.splice(index, 1);
        try {
          item.run();
        } catch (error) {
          this.reportError(error);
        }
        // New work may have been queued behind; keep FIFO order from the front.
        index = 0;
      }
    } finally {
      this.#depth -= 1;
    }
  }
}
