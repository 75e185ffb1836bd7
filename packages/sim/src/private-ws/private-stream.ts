import type { TimerHandle } from '@krakenkit/plugin-api';
import type { SimContext } from '../sim-context.js';
import { matchesTarget } from '../sim-faults.js';
import { encodeFrame } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';

/** How long a message held back by the `reorder-executions` fault waits for the next one. */
const reorderWaitMs = 1_000;

/**
 * One private subscription's outgoing stream: the per-subscription `sequence` (1 = the
 * snapshot), and for executions the two faults decided here — `duplicate-executions` sends
 * the next update twice (same frame, same sequence), `reorder-executions` holds the next
 * update back and sends it right after the following one (so the client sees sequence
 * N+1 before N); if nothing follows within a second it goes out alone.
 */
export class PrivateStream {
  sequence = 0;
  #held: string | undefined;
  #heldTimer: TimerHandle | undefined;

  constructor(
    readonly session: SimSession,
    readonly accountId: string,
    readonly channel: 'executions' | 'balances',
    private readonly context: SimContext,
  ) {}

  snapshot(data: unknown[]): void {
    this.sequence += 1;
    this.session.sendChannel(
      this.channel,
      undefined,
      encodeFrame({ channel: this.channel, type: 'snapshot', data, sequence: this.sequence }),
    );
  }

  update(data: unknown[]): void {
    this.sequence += 1;
    const text = encodeFrame({ channel: this.channel, type: 'update', data, sequence: this.sequence });
    if (this.channel === 'balances') {
      this.session.sendChannel(this.channel, undefined, text);
      return;
    }
    const { faults, clock, stats } = this.context;
    const forUs = (fault: { target?: Parameters<typeof matchesTarget>[0] }) =>
      matchesTarget(fault.target, this.session);
    if (this.#held !== undefined) {
      const held = this.#held;
      this.#release();
      this.session.sendChannel(this.channel, undefined, text);
      this.session.sendChannel(this.channel, undefined, held);
      return;
    }
    if (faults.take('reorder-executions', forUs)) {
      stats.count('faults.reordered_executions');
      this.#held = text;
      this.#heldTimer = clock.setTimeout(() => {
        const held = this.#held;
        this.#release();
        if (held !== undefined) this.session.sendChannel(this.channel, undefined, held);
      }, reorderWaitMs);
      this.#heldTimer.unref();
      return;
    }
    this.session.sendChannel(this.channel, undefined, text);
    if (faults.take('duplicate-executions', forUs)) {
      stats.count('faults.duplicated_executions');
      this.session.sendChannel(this.channel, undefined, text);
    }
  }

  close(): void {
    this.#release();
  }

  #release(): void {
    this.context.clock.clearTimeout(this.#heldTimer);
    this.#heldTimer = undefined;
    this.#held = undefined;
  }
}
