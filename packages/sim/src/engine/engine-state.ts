import { createSeededRandom } from '@krakenkit/plugin-api';
import type { SimContext } from '../sim-context.js';
import { type Big, zero } from '../sim-decimal.js';
import { createIdGenerator } from '../sim-ids.js';
import type { SimMarket } from '../sim-modules.js';
import type { ExecType, LedgerEntry, LedgerType, SimFill } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { feeRates } from './engine-fees.js';
import { cashReservation, reservationFor, type Settled } from './engine-holds.js';
import { type EngineOrder, isOpenStatus, remainingOf, snapshotOrder } from './engine-order.js';
import { TradingRateCounter } from './engine-rate-counter.js';
import { WorkQueue } from './engine-work-queue.js';

/**
 * Where every asset an account gains or loses comes from (tests check conservation
 * against it): fees collected, rounding kept by the exchange, and the flows of the
 * background market's own liquidity.
 */
export interface HouseTally {
  fees: Map<string, Big>;
  rounding: Map<string, Big>;
  background: Map<string, Big>;
}

function addTo(map: Map<string, Big>, asset: string, amount: Big): void {
  if (amount.eq('0')) return;
  map.set(asset, (map.get(asset) ?? zero).plus(amount));
}

/** Shared engine state and the primitives every engine module uses. */
export class EngineState {
  readonly accounts = new Map<string, EngineAccount>();
  /** Every order of every account, by id (maker fills arrive by id). */
  readonly orders = new Map<string, EngineOrder>();
  readonly rates: TradingRateCounter;
  readonly queue: WorkQueue;
  readonly house: HouseTally = { fees: new Map(), rounding: new Map(), background: new Map() };
  /** Untriggered orders by symbol, checked on every public trade. */
  readonly watching = new Map<string, Set<EngineOrder>>();
  /** Inside the engine's own `executeTaker` call (maker fills then have a user taker). */
  takerDepth = 0;
  /** The market reports iceberg refills itself (`onIcebergRefill`). */
  marketReportsRefills = false;
  readonly nextOrderId: () => string;
  /** Private trade ids and amend ids (`T...`). */
  readonly nextTradeId: () => string;
  readonly nextLedgerId: () => string;

  constructor(
    readonly context: SimContext,
    readonly market: SimMarket,
  ) {
    const { seed, clock } = context;
    this.nextOrderId = createIdGenerator(createSeededRandom(`${seed}:engine-orders`), 'O');
    this.nextTradeId = createIdGenerator(createSeededRandom(`${seed}:engine-trades`), 'T');
    this.nextLedgerId = createIdGenerator(createSeededRandom(`${seed}:engine-ledger`), 'L');
    this.rates = new TradingRateCounter(() => clock.monotonic(), context.limits.tradingCounter);
    this.queue = new WorkQueue(
      clock,
      () => context.status.matching,
      (error) => context.reportError(error),
    );
  }

  now(): number {
    return this.context.clock.now();
  }

  account(accountId: string): EngineAccount | undefined {
    return this.accounts.get(accountId);
  }

  decimals(asset: string): number {
    return this.context.catalog.asset(asset)?.decimals ?? 10;
  }

  /** Records the order's current state (for `asOf` queries). */
  recordVersion(order: EngineOrder): void {
    order.versions.push({ time: this.now(), order: snapshotOrder(order.view), hold: order.hold });
  }

  /** Records a version and emits an execution report for it. */
  emitExecution(
    order: EngineOrder,
    execType: ExecType,
    extra: { fill?: SimFill; amendId?: string; reason?: string } = {},
  ): void {
    this.recordVersion(order);
    const snapshot = order.versions[order.versions.length - 1]!.order;
    this.#emit(() =>
      this.context.events.emit('execution', {
        accountId: order.view.accountId,
        execType,
        order: snapshot,
        time: this.now(),
        ...(extra.fill ? { fill: extra.fill } : {}),
        ...(extra.amendId ? { amendId: extra.amendId } : {}),
        ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
      }),
    );
  }

  /** Books a balance change (balance after = before + amount − fee); emit it with {@link emitLedger}. */
  postLedger(
    account: EngineAccount,
    entry: { type: LedgerType; category: string; asset: string; amount: Big; fee: Big; refId: string },
  ): LedgerEntry {
    const balance = account.balance(entry.asset).plus(entry.amount).minus(entry.fee);
    account.balances.set(entry.asset, balance);
    const posted: LedgerEntry = {
      id: this.nextLedgerId(),
      refId: entry.refId,
      accountId: account.id,
      time: this.now(),
      type: entry.type,
      category: entry.category,
      asset: entry.asset,
      amount: entry.amount,
      fee: entry.fee,
      balance,
    };
    account.ledger.push(posted);
    if (balance.lt('0'))
      this.context.reportError(new Error(`negative ${entry.asset} balance on ${account.id}`));
    return posted;
  }

  emitLedger(entry: LedgerEntry): void {
    this.#emit(() => this.context.events.emit('ledger-entry', entry));
  }

  /** The hold the order's rest needs now (zero once closed). */
  reservationOf(order: EngineOrder): { asset: string; amount: Big } {
    const { view, pair } = order;
    const base = { id: pair.base, decimals: this.decimals(pair.base) };
    const quote = { id: pair.quote, decimals: this.decimals(pair.quote) };
    if (!isOpenStatus(view.status)) return { asset: order.holdAsset, amount: zero };
    const rates = feeRates(pair);
    // What the fills booked so far: the hold is the whole order's bound less that.
    const settled: Settled = {
      filledCost: view.filledCost,
      quoteSettled: order.quoteSettled,
      feeExact: order.feeExact,
      feeCharged: view.fees,
    };
    if (view.cashQty) return cashReservation(view.cashQty, rates.taker, view.feePreference, settled, quote);
    return reservationFor({
      side: view.side,
      remaining: remainingOf(view),
      price: order.limitAbs ?? order.reservePrice,
      feePreference: view.feePreference,
      maxFeeRate: rates.max,
      settled,
      base,
      quote,
    });
  }

  /**
   * Brings the order's hold in line with {@link EngineState.reservationOf}. Every caller
   * that can raise a hold has checked the funds first, and a fill never raises hold plus
   * charge (engine-holds.ts): a negative available balance afterwards is a sim bug.
   */
  refreshHold(order: EngineOrder): void {
    const account = this.accounts.get(order.view.accountId)!;
    const next = this.reservationOf(order);
    account.changeHold(order.holdAsset, order.hold, next.amount);
    order.hold = next.amount;
    if (account.available(order.holdAsset).lt(zero)) {
      this.context.reportError(
        new Error(
          `negative available ${order.holdAsset} on ${account.id} after the hold of ${order.view.id}`,
        ),
      );
    }
  }

  tallyFee(asset: string, fee: Big): void {
    addTo(this.house.fees, asset, fee);
  }

  tallyRounding(asset: string, amount: Big): void {
    addTo(this.house.rounding, asset, amount);
  }

  tallyBackground(asset: string, amount: Big): void {
    addTo(this.house.background, asset, amount);
  }

  /** Listeners (protocol layers) must never break the engine's state changes. */
  #emit(emit: () => void): void {
    try {
      emit();
    } catch (error) {
      this.context.reportError(error);
    }
  }
}
