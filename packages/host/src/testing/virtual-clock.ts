import type { Clock, TimerHandle } from '@krakenkit/plugin-api';

interface VirtualTimer {
  id: number;
  due: number;
  callback: () => void;
  intervalMs: number | undefined;
  referenced: boolean;
}

export interface VirtualClockOptions {
  /** Initial wall-clock time (ms since epoch). Default 2026-01-01T00:00:00Z. */
  now?: number;
  /** Initial monotonic time. Default 0. */
  monotonic?: number;
}

/**
 * A clock that only moves when told to. Timers fire in due order while advancing, with
 * `now()` and `monotonic()` set to each timer's due time, so timing logic is tested
 * deterministically, without sleeping.
 */
export class VirtualClock implements Clock {
  #wall: number;
  #monotonic: number;
  #nextId = 1;
  readonly #timers = new Map<number, VirtualTimer>();

  constructor(options: VirtualClockOptions = {}) {
    this.#wall = options.now ?? Date.UTC(2026, 0, 1);
    this.#monotonic = options.monotonic ?? 0;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.#schedule(callback, delayMs, undefined);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.#schedule(callback, intervalMs, Math.max(1, intervalMs));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle instanceof VirtualTimerHandle) this.#timers.delete(handle.id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Number of timers still scheduled (leak checks). */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers synchronously, in order. */
  advance(ms: number): void {
    const target = this.#monotonic + ms;
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) this.#fire(timer);
    this.#moveTo(target);
  }

  /**
   * Moves time forward by `ms`, and lets promise chains and I/O callbacks run after each
   * timer, so async code that reacts to a timer completes before the next one fires.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#monotonic + ms;
    await settle();
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#fire(timer);
      await settle();
    }
    this.#moveTo(target);
    await settle();
  }

  /** Steps the wall clock only (e.g. `-3_600_000` for a clock set back one hour). */
  jumpWallClock(deltaMs: number): void {
    this.#wall += deltaMs;
  }

  #schedule(callback: () => void, delayMs: number, intervalMs: number | undefined): TimerHandle {
    const id = this.#nextId++;
    const timer: VirtualTimer = {
      id,
      due: this.#monotonic + Math.max(0, delayMs),
      callback,
      intervalMs,
      referenced: true,
    };
    this.#timers.set(id, timer);
    return new VirtualTimerHandle(id, timer);
  }

  #nextDue(target: number): VirtualTimer | undefined {
    let next: VirtualTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.due <= target && (next === undefined || timer.due < next.due)) next = timer;
    }
    return next;
  }

  #fire(timer: VirtualTimer): void {
    this.#moveTo(timer.due);
    if (timer.intervalMs === undefined) this.#timers.delete(timer.id);
    else timer.due += timer.intervalMs;
    timer.callback();
  }

  #moveTo(monotonic: number): void {
    if (monotonic <= this.#monotonic) return;
    this.#wall += monotonic - this.#monotonic;
    this.#monotonic = monotonic;
  }
}

class VirtualTimerHandle implements TimerHandle {
  constructor(
    readonly id: number,
    readonly timer: VirtualTimer,
  ) {}

  unref(): this {
    this.timer.referenced = false;
    return this;
  }

  ref(): this {
    this.timer.referenced = true;
    return this;
  }

  hasRef(): boolean {
    return this.timer.referenced;
  }
}

/** Lets pending promise callbacks and one round of I/O callbacks run. */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createVirtualClock(options: VirtualClockOptions = {}): VirtualClock {
  return new VirtualClock(options);
}
