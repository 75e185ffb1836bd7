import type { Random } from '@krakenkit/plugin-api';
import type { SimClock } from './sim-clock.js';

/** Which connections a fault applies to; omitted fields match everything. */
export interface FaultTarget {
  connectionId?: string;
  endpoint?: 'public' | 'private';
  accountId?: string;
}

/** Every fault the sim can inject. */
export type SimFault =
  /** Close connections: `clean` sends a close frame (default code 1001), `reset` drops TCP (RST). */
  | { kind: 'drop-connection'; mode: 'clean' | 'reset'; code?: number; reason?: string; target?: FaultTarget }
  /** Send nothing at all (no heartbeats, no data, no responses) while TCP stays open. */
  | { kind: 'silence-connection'; target?: FaultTarget }
  /** Stop one subscription's data while heartbeats and everything else go on. */
  | { kind: 'silence-subscription'; channel: string; symbol?: string; target?: FaultTarget }
  /** The next book message for the symbol carries a wrong checksum. */
  | { kind: 'corrupt-checksum'; symbol: string }
  /** The next book update for the symbol carries a wrong quantity for one level (true checksum). */
  | { kind: 'corrupt-level'; symbol: string }
  /** Hold the response to the next request with this method for `delayMs`. */
  | { kind: 'delay-response'; method: string; delayMs: number; target?: FaultTarget }
  /** Never answer the next request with this method (nothing is executed). */
  | { kind: 'drop-response'; method: string; target?: FaultTarget }
  /** Execute the next command with this method, but never send its response. */
  | { kind: 'execute-drop-ack'; method: string; target?: FaultTarget }
  /** Send the next execution message twice. */
  | { kind: 'duplicate-executions'; target?: FaultTarget }
  /** Swap the order of the next two execution messages. */
  | { kind: 'reorder-executions'; target?: FaultTarget }
  /** Send a text frame that is not valid JSON. */
  | { kind: 'send-malformed'; target?: FaultTarget }
  /** Send a binary frame. */
  | { kind: 'send-binary'; target?: FaultTarget }
  /** Send a text frame of `bytes` bytes (valid JSON, absurd size). */
  | { kind: 'send-oversized'; bytes: number; target?: FaultTarget }
  /** Every WS token (of one account, or all) stops working. */
  | { kind: 'invalidate-tokens'; accountId?: string }
  /** Answer REST requests with an HTTP error status (e.g. 502, 503, 504) and no Kraken body. */
  | { kind: 'rest-http-error'; status: number; path?: string }
  /** Answer REST requests with a Kraken error (`EService:Unavailable`, `EService:Busy`, ...). */
  | { kind: 'rest-error'; error: string; path?: string }
  /** REST reads show the account as it was `lagMs` ago (REST lagging behind WS). */
  | { kind: 'rest-lag'; lagMs: number }
  /** The server's clock runs `offsetMs` ahead (negative: behind) of real time. */
  | { kind: 'clock-offset'; offsetMs: number };

export type FaultKind = SimFault['kind'];
export type FaultOf<K extends FaultKind> = Extract<SimFault, { kind: K }>;

export interface FaultSchedule {
  /** Activate after this many more outgoing WS messages to matching connections (REST faults: requests). */
  afterMessages?: number;
  /** Activate at this server time (epoch ms). */
  at?: number;
  /** How many times a consumable fault applies (default 1; `Infinity` = until cleared). */
  count?: number;
  /** Lasting faults (silences, lag) end after this long once active. */
  durationMs?: number;
}

export interface FaultRecord {
  id: string;
  fault: SimFault;
  state: 'scheduled' | 'active';
  remaining: number;
}

interface Entry extends FaultRecord {
  messagesLeft: number | undefined;
  timer: ReturnType<SimClock['setTimeout']> | undefined;
  endTimer: ReturnType<SimClock['setTimeout']> | undefined;
  durationMs: number | undefined;
}

export interface MessageSource {
  connectionId: string;
  endpoint: 'public' | 'private';
  accountId?: string | undefined;
}

const restKinds = new Set<FaultKind>(['rest-http-error', 'rest-error', 'rest-lag']);

export function matchesTarget(target: FaultTarget | undefined, source: MessageSource): boolean {
  if (!target) return true;
  return (
    (target.connectionId === undefined || target.connectionId === source.connectionId) &&
    (target.endpoint === undefined || target.endpoint === source.endpoint) &&
    (target.accountId === undefined || target.accountId === source.accountId)
  );
}

/**
 * Holds injected faults. Faults with an actor (drops, junk frames, token invalidation,
 * clock offset) are performed the moment they become active; the others are consumed by
 * the module that owns the decision (`take`) or read while they last (`active`).
 * Deterministic: content that needs randomness uses the seeded {@link FaultInjector.random}.
 */
export class FaultInjector {
  readonly #entries = new Map<string, Entry>();
  readonly #actors = new Map<FaultKind, (fault: SimFault) => void>();
  #nextId = 1;

  constructor(
    private readonly clock: SimClock,
    readonly random: Random,
  ) {}

  /** Arms a fault now or on a schedule; returns its id (for {@link FaultInjector.clear}). */
  inject(fault: SimFault, schedule: FaultSchedule = {}): string {
    const id = `fault-${this.#nextId++}`;
    const entry: Entry = {
      id,
      fault,
      state: 'scheduled',
      remaining: schedule.count ?? 1,
      messagesLeft: schedule.afterMessages,
      timer: undefined,
      endTimer: undefined,
      durationMs: schedule.durationMs,
    };
    this.#entries.set(id, entry);
    if (schedule.at !== undefined) {
      entry.timer = this.clock.setTimeout(
        () => this.#arm(entry),
        Math.max(0, schedule.at - this.clock.now()),
      );
      entry.timer.unref();
    } else if (entry.messagesLeft === undefined || entry.messagesLeft <= 0) {
      this.#arm(entry);
    }
    return id;
  }

  /** Removes one fault, or all of them. */
  clear(id?: string): void {
    for (const entry of id === undefined ? [...this.#entries.values()] : [this.#entries.get(id)]) {
      if (!entry) continue;
      this.clock.clearTimeout(entry.timer);
      this.clock.clearTimeout(entry.endTimer);
      this.#entries.delete(entry.id);
    }
  }

  list(): FaultRecord[] {
    return [...this.#entries.values()].map(({ id, fault, state, remaining }) => ({
      id,
      fault,
      state,
      remaining,
    }));
  }

  /** A module that can perform faults of this kind the moment they become active. */
  registerActor<K extends FaultKind>(kind: K, actor: (fault: FaultOf<K>) => void): void {
    this.#actors.set(kind, actor as (fault: SimFault) => void);
    for (const entry of this.#entries.values()) {
      if (entry.state === 'active' && entry.fault.kind === kind) this.#perform(entry);
    }
  }

  /** Consumes one application of the first active fault of `kind` that `match` accepts. */
  take<K extends FaultKind>(
    kind: K,
    match: (fault: FaultOf<K>) => boolean = () => true,
  ): FaultOf<K> | undefined {
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'active' || entry.fault.kind !== kind || !match(entry.fault as FaultOf<K>))
        continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.clear(entry.id);
      return entry.fault as FaultOf<K>;
    }
    return undefined;
  }

  /** Lasting faults of `kind` that are active now (not consumed). */
  active<K extends FaultKind>(kind: K, match: (fault: FaultOf<K>) => boolean = () => true): FaultOf<K>[] {
    const found: FaultOf<K>[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.state === 'active' && entry.fault.kind === kind && match(entry.fault as FaultOf<K>)) {
        found.push(entry.fault as FaultOf<K>);
      }
    }
    return found;
  }

  /** Counts an outgoing WS message toward `afterMessages` schedules. */
  noteMessage(source: MessageSource): void {
    if (this.#entries.size === 0) return;
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'scheduled' || entry.messagesLeft === undefined || restKinds.has(entry.fault.kind))
        continue;
      if (!matchesTarget((entry.fault as { target?: FaultTarget }).target, source)) continue;
      entry.messagesLeft -= 1;
      if (entry.messagesLeft <= 0) this.#arm(entry);
    }
  }

  /** Counts a REST request toward `afterMessages` schedules of REST faults. */
  noteRestRequest(): void {
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'scheduled' || entry.messagesLeft === undefined || !restKinds.has(entry.fault.kind))
        continue;
      entry.messagesLeft -= 1;
      if (entry.messagesLeft <= 0) this.#arm(entry);
    }
  }

  #arm(entry: Entry): void {
    entry.state = 'active';
    if (entry.durationMs !== undefined) {
      entry.endTimer = this.clock.setTimeout(() => this.clear(entry.id), entry.durationMs);
      entry.endTimer.unref();
    }
    this.#perform(entry);
  }

  #perform(entry: Entry): void {
    const actor = this.#actors.get(entry.fault.kind);
    if (!actor) return;
    this.clear(entry.id);
    actor(entry.fault);
  }
}
