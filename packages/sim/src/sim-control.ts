import type { ConnectionBudget } from './server/connection-budget.js';
import type { SimContext } from './sim-context.js';
import { Decimal } from './sim-decimal.js';
import type { FaultRecord, FaultSchedule, SimFault } from './sim-faults.js';
import type { SimEngine } from './sim-modules.js';
import type { SimTokenStore, SystemStatus } from './sim-types.js';
import type { SimConnections } from './ws/sim-connections.js';

export interface SimConnectionInfo {
  id: string;
  endpoint: 'public' | 'private';
  accountId: string | undefined;
  remoteAddress: string;
  subscriptions: number;
}

/** What tests (and the CLI's control endpoint) can do to a running sim. */
export interface SimControl {
  /** Inject a fault now or on a schedule (`afterMessages`, `at`); returns its id. */
  inject(fault: SimFault, schedule?: FaultSchedule): string;
  clearFaults(id?: string): void;
  faults(): FaultRecord[];
  /** Switch system status; a `status` frame is pushed to every connection. */
  setStatus(status: SystemStatus): void;
  readonly status: SystemStatus;
  connections(): SimConnectionInfo[];
  /** Balances as decimal strings: `{ USD: { balance, holdTrade } }`. */
  balances(accountId: string): Record<string, { balance: string; holdTrade: string }>;
  /** Credit (positive) or debit (negative) a balance, as a ledger adjustment. */
  adjustBalance(accountId: string, asset: string, amount: string): void;
  /** Server clock offset against real time, ms. */
  setClockOffset(offsetMs: number): void;
  /** Everything counted so far (malformed frames, rate-limit hits, ...). */
  stats(): Record<string, number>;
  /** Bugs inside the sim (should always be empty). */
  internalErrors(): readonly unknown[];
  /** A WebSocket token for an account, as GetWebSocketsToken would return (tests, paper trading). */
  issueToken(accountId: string): string;
  /** Forget connection attempts and bans of the per-IP connection budget. */
  resetConnectionBudget(): void;
  /**
   * Sends pre-encoded frames to one connection as fast as the socket takes them (benchmarks):
   * in corked batches (one write per batch), waiting for the socket to drain whenever the
   * client falls behind, so a slow client is never buried in buffered frames. Resolves once
   * every frame was handed to the socket.
   */
  blast(connectionId: string, frames: readonly string[]): Promise<{ sent: number; ms: number }>;
}

/** Frames per corked write in `blast`. */
const blastBatchFrames = 512;
/** Unsent bytes in the socket's buffer past which `blast` waits for it to drain. */
const blastHighWaterBytes = 4 << 20;
/** Frames `blast` sends between turns of the event loop when the socket keeps up. */
const blastYieldFrames = 8_192;

export function createSimControl(parts: {
  context: SimContext;
  engine: SimEngine;
  tokens: SimTokenStore;
  connections: SimConnections;
  budget: ConnectionBudget;
  internalErrors: unknown[];
}): SimControl {
  const { context, engine, tokens, connections, budget, internalErrors } = parts;
  return {
    inject: (fault, schedule) => context.faults.inject(fault, schedule),
    clearFaults: (id) => context.faults.clear(id),
    faults: () => context.faults.list(),
    setStatus: (status) => context.status.set(status),
    get status() {
      return context.status.current;
    },
    connections: () =>
      connections.list().map((session) => ({
        id: session.connectionId,
        endpoint: session.endpoint,
        accountId: session.accountId,
        remoteAddress: session.remoteAddress,
        subscriptions: session.subscriptionCount,
      })),
    balances: (accountId) => {
      if (!engine.hasAccount(accountId)) throw new Error(`unknown account ${accountId}`);
      const result: Record<string, { balance: string; holdTrade: string }> = {};
      for (const [asset, view] of engine.balances(accountId)) {
        result[asset] = { balance: view.balance.toFixed(), holdTrade: view.holdTrade.toFixed() };
      }
      return result;
    },
    adjustBalance: (accountId, asset, amount) => {
      const result = engine.adjustBalance(accountId, asset, new Decimal(amount));
      if (!result.ok) throw new Error(result.error);
    },
    setClockOffset: (offsetMs) => context.clock.setOffset(offsetMs),
    stats: () => context.stats.snapshot(),
    internalErrors: () => internalErrors,
    issueToken: (accountId) => {
      if (!engine.hasAccount(accountId)) throw new Error(`unknown account ${accountId}`);
      return tokens.issue(accountId).token;
    },
    resetConnectionBudget: () => budget.reset(),
    blast: async (connectionId, frames) => {
      const session = connections.list().find((candidate) => candidate.connectionId === connectionId);
      if (!session) throw new Error(`no connection ${connectionId}`);
      const started = performance.now();
      let sent = 0;
      let sinceYield = 0;
      while (sent < frames.length) {
        // Corked batches: one write per batch instead of one system call per frame.
        const end = Math.min(frames.length, sent + blastBatchFrames);
        const batch = session.sendBatch(frames, sent, end);
        sent += batch;
        sinceYield += batch;
        if (sent < end) break; // closed or silenced
        if (session.bufferedBytes > blastHighWaterBytes) {
          // The client is slower than the sim: wait for the socket instead of buffering everything.
          await session.drained();
          sinceYield = 0;
        } else if (sinceYield >= blastYieldFrames) {
          // Let other connections and timers run now and then.
          await new Promise<void>((resolve) => setImmediate(resolve));
          sinceYield = 0;
        }
      }
      return { sent, ms: performance.now() - started };
    },
  };
}
