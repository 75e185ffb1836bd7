import { type Clock, systemClock, type TimerHandle } from '@krakenkit/plugin-api';

/**
 * The exchange's clock: the injected clock plus an adjustable offset (the "server clock
 * offset" fault), so clients see a server whose time differs from theirs.
 */
export class SimClock implements Clock {
  #offsetMs = 0;

  constructor(readonly base: Clock = systemClock) {}

  get offsetMs(): number {
    return this.#offsetMs;
  }

  setOffset(offsetMs: number): void {
    this.#offsetMs = offsetMs;
  }

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  monotonic(): number {
    return this.base.monotonic();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.base.setTimeout(callback, delayMs);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.base.clearTimeout(handle);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    return this.base.setInterval(callback, intervalMs);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.base.clearInterval(handle);
  }

  /** Server time as Kraken writes it: RFC 3339, UTC, microseconds (`2026-01-05T10:00:00.100000Z`). */
  timestamp(atMs: number = this.now()): string {
    return rfc3339Micros(atMs);
  }

  /** Server time in Unix seconds with fractional part, as REST order times are written. */
  unixSeconds(atMs: number = this.now()): number {
    return Math.round(atMs * 10) / 10_000;
  }
}

/** RFC 3339 with six fractional digits; sub-millisecond digits come from the fractional ms. */
export function rfc3339Micros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.floor((ms - whole) * 1000));
  const iso = new Date(whole).toISOString(); // 2026-01-05T10:00:00.100Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}
