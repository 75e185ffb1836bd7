import { isCandleInterval } from '../market/market-candles.js';
import { invalidArguments, krakenErrors } from '../sim-errors.js';
import { isWireNumber } from '../sim-wire.js';

export const publicChannels = ['instrument', 'ticker', 'book', 'trade', 'ohlc'] as const;
export type PublicChannel = (typeof publicChannels)[number];

export const bookDepths = [10, 25, 100, 500, 1000] as const;

/** A subscribe/unsubscribe request for one public channel, validated. */
export interface PublicRequest {
  channel: PublicChannel;
  /** Empty for `instrument`. */
  symbols: string[];
  snapshot: boolean;
  /** `book` (default 10). */
  depth: number;
  /** `ohlc` (required). */
  interval: number;
  /** `ticker` (default `trades`). */
  eventTrigger: 'trades' | 'bbo';
}

/** Parameters each channel takes besides `channel` (a `token` is tolerated everywhere and ignored). */
const allowedFields: Record<PublicChannel, readonly string[]> = {
  instrument: ['snapshot', 'include_tokenized_assets', 'execution_venue'],
  ticker: ['symbol', 'snapshot', 'event_trigger'],
  book: ['symbol', 'snapshot', 'depth'],
  trade: ['symbol', 'snapshot'],
  ohlc: ['symbol', 'snapshot', 'interval'],
};

const snapshotDefaults: Record<PublicChannel, boolean> = {
  instrument: true,
  ticker: true,
  book: true,
  trade: false,
  ohlc: true,
};

export type Parsed = { ok: true; value: PublicRequest } | { ok: false; error: string };

/**
 * Validates `params` of a public subscribe/unsubscribe the way Kraken answers: unknown
 * channel → `Subscription name invalid`; unknown field → `Unsupported field: '<name>'`;
 * a bad value → `EGeneral:Invalid arguments:<field>`. Symbols are checked one by one by the
 * caller (each gets its own answer).
 */
export function parsePublicRequest(params: Record<string, unknown> | undefined): Parsed {
  const fail = (error: string): Parsed => ({ ok: false, error });
  if (params === undefined || params.channel === undefined) return fail(invalidArguments('channel'));
  const { channel } = params;
  if (typeof channel !== 'string') return fail(invalidArguments('channel'));
  if (!(publicChannels as readonly string[]).includes(channel))
    return fail(krakenErrors.subscriptionNameInvalid);
  const kind = channel as PublicChannel;
  for (const field of Object.keys(params)) {
    if (field !== 'channel' && field !== 'token' && !allowedFields[kind].includes(field)) {
      return fail(krakenErrors.unsupportedField(field));
    }
  }
  const request: PublicRequest = {
    channel: kind,
    symbols: [],
    snapshot: snapshotDefaults[kind],
    depth: 10,
    interval: 0,
    eventTrigger: 'trades',
  };
  if (kind !== 'instrument') {
    const { symbol } = params;
    if (!Array.isArray(symbol) || symbol.length === 0 || !symbol.every((item) => typeof item === 'string')) {
      return fail(invalidArguments('symbol'));
    }
    request.symbols = symbol as string[];
  }
  if (params.snapshot !== undefined) {
    if (typeof params.snapshot !== 'boolean') return fail(invalidArguments('snapshot'));
    request.snapshot = params.snapshot;
  }
  if (params.include_tokenized_assets !== undefined && typeof params.include_tokenized_assets !== 'boolean') {
    return fail(invalidArguments('include_tokenized_assets'));
  }
  if (params.execution_venue !== undefined && params.execution_venue !== 'international') {
    return fail(invalidArguments('execution_venue'));
  }
  if (params.depth !== undefined) {
    const depth = integerValue(params.depth);
    if (depth === undefined || !(bookDepths as readonly number[]).includes(depth))
      return fail(invalidArguments('depth'));
    request.depth = depth;
  }
  if (kind === 'ohlc') {
    const interval = integerValue(params.interval);
    if (interval === undefined || !isCandleInterval(interval)) return fail(invalidArguments('interval'));
    request.interval = interval;
  }
  if (params.event_trigger !== undefined) {
    if (params.event_trigger !== 'trades' && params.event_trigger !== 'bbo')
      return fail(invalidArguments('event_trigger'));
    request.eventTrigger = params.event_trigger;
  }
  return { ok: true, value: request };
}

/** A JSON integer (client numbers arrive as lossless numbers); anything else is undefined. */
function integerValue(value: unknown): number | undefined {
  if (!isWireNumber(value) || !/^\d{1,6}$/.test(value.value)) return undefined;
  return Number(value.value);
}
