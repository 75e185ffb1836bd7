import type { DecimalString } from '@krakenkit/plugin-api';
import type { WireValue } from './wire-parser.js';

// Typed inbound messages after boundary validation. Field names mirror the WS v2 wire
// (snake_case) so Kraken's documentation applies to them directly. Every decimal is exact
// text; every message carries a `kind` to switch on.

/** Whether a channel message replaces state (`snapshot`) or changes it (`update`). */
export type ChannelMessageType = 'snapshot' | 'update';

/** Exchange-wide states from `status.data[0].system`; other text is kept as sent. */
export type SystemState = 'online' | 'maintenance' | 'cancel_only' | 'post_only' | (string & {});

export interface StatusData {
  readonly api_version: string;
  /** Above 2^53, so kept as the exact decimal text of the wire integer. */
  readonly connection_id: string;
  readonly system: SystemState;
  readonly version: string;
}

/** Pushed on connect and whenever the engine status changes. */
export interface StatusMessage {
  readonly kind: 'status';
  readonly type: ChannelMessageType;
  readonly data: readonly StatusData[];
}

/** `{"channel":"heartbeat"}`: about once a second when nothing else was sent. */
export interface HeartbeatMessage {
  readonly kind: 'heartbeat';
}

/** The reply to `{"method":"ping"}`. */
export interface PongMessage {
  readonly kind: 'pong';
  readonly req_id?: number;
  readonly time_in?: string;
  readonly time_out?: string;
  readonly warnings?: readonly string[];
}

/**
 * The v2 envelope answering a request (`subscribe`, `add_order`, ...). `result` is kept as
 * parsed, numbers as {@link WireValue} `WireNumber`s, for the method's owner to read.
 */
export interface MethodResponse {
  readonly kind: 'method-response';
  readonly method: string;
  readonly success: boolean;
  readonly result?: WireValue;
  /** A single string on WS v2 (REST uses an array). Capped at 1024 characters. */
  readonly error?: string;
  readonly time_in?: string;
  readonly time_out?: string;
  readonly req_id?: number;
  /** Failed subscribes name the symbol at the top level. */
  readonly symbol?: string;
  readonly warnings?: readonly string[];
}

/** Asset status from `instrument`; other text is kept as sent. */
export type AssetStatus =
  | 'enabled'
  | 'disabled'
  | 'depositonly'
  | 'withdrawalonly'
  | 'fundingtemporarilydisabled'
  | 'workinprogress'
  | (string & {});

/** Pair status from `instrument`; other text is kept as sent. */
export type PairStatus =
  | 'online'
  | 'cancel_only'
  | 'post_only'
  | 'limit_only'
  | 'reduce_only'
  | 'maintenance'
  | 'delisted'
  | 'work_in_progress'
  | (string & {});

export interface InstrumentAsset {
  readonly id: string;
  readonly status: AssetStatus;
  readonly precision: number;
  readonly precision_display?: number;
  readonly borrowable?: boolean;
  readonly collateral_value?: DecimalString;
  readonly margin_rate?: DecimalString;
  readonly multiplier?: DecimalString;
}

export interface InstrumentPair {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly status: PairStatus;
  /** Decimal places of prices: the book checksum pads prices to this many. */
  readonly price_precision: number;
  /** Decimal places of quantities: the book checksum pads quantities to this many. */
  readonly qty_precision: number;
  readonly price_increment: DecimalString;
  readonly qty_increment: DecimalString;
  readonly qty_min: DecimalString;
  readonly cost_min?: DecimalString;
  readonly cost_precision?: number;
  readonly marginable?: boolean;
  readonly has_index?: boolean;
}

/** `data` is an object; an update lists only the assets and pairs that changed. */
export interface InstrumentMessage {
  readonly kind: 'instrument';
  readonly type: ChannelMessageType;
  readonly data: { readonly assets: readonly InstrumentAsset[]; readonly pairs: readonly InstrumentPair[] };
}

export interface TickerData {
  readonly symbol: string;
  readonly bid: DecimalString;
  readonly bid_qty: DecimalString;
  readonly ask: DecimalString;
  readonly ask_qty: DecimalString;
  /** Only guaranteed when the pair traded in the last 24 h. */
  readonly last?: DecimalString;
  readonly volume: DecimalString;
  readonly vwap: DecimalString;
  readonly low: DecimalString;
  readonly high: DecimalString;
  readonly change: DecimalString;
  readonly change_pct: DecimalString;
  readonly timestamp?: string;
}

export interface TickerMessage {
  readonly kind: 'ticker';
  readonly type: ChannelMessageType;
  readonly data: readonly TickerData[];
}

/** One price level: `qty` `0` in an update deletes the level. */
export interface BookLevel {
  readonly price: DecimalString;
  readonly qty: DecimalString;
}

export interface BookData {
  readonly symbol: string;
  /** In wire order; apply in this order (a price may repeat within one message). */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** CRC-32 (unsigned) of the top 10 levels each side after applying this message. */
  readonly checksum: number;
  readonly timestamp?: string;
}

export interface BookMessage {
  readonly kind: 'book';
  readonly type: ChannelMessageType;
  readonly data: readonly BookData[];
}

export interface TradeData {
  readonly symbol: string;
  /** The taker's side. */
  readonly side: 'buy' | 'sell';
  readonly price: DecimalString;
  readonly qty: DecimalString;
  readonly ord_type: 'limit' | 'market';
  /** Sequential per book; the dedupe key across reconnects. */
  readonly trade_id: number;
  readonly timestamp: string;
}

export interface TradeMessage {
  readonly kind: 'trade';
  readonly type: ChannelMessageType;
  readonly data: readonly TradeData[];
}

export interface OhlcBar {
  readonly symbol: string;
  readonly open: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  readonly close: DecimalString;
  readonly vwap: DecimalString;
  readonly trades: number;
  readonly volume: DecimalString;
  /** RFC 3339 start of the bar; a repeated value replaces the forming bar. */
  readonly interval_begin: string;
  /** Minutes: 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600. */
  readonly interval: number;
}

export interface OhlcMessage {
  readonly kind: 'ohlc';
  readonly type: ChannelMessageType;
  readonly data: readonly OhlcBar[];
  readonly timestamp?: string;
}

/** A message of a channel registered through `WireDecoderOptions.channels` (private channels). */
export interface ExtensionMessage {
  readonly kind: 'extension';
  readonly channel: string;
  readonly type?: ChannelMessageType;
  readonly value: unknown;
}

/** Every inbound message the decoder produces. */
export type WireMessage =
  | StatusMessage
  | HeartbeatMessage
  | PongMessage
  | MethodResponse
  | InstrumentMessage
  | TickerMessage
  | BookMessage
  | TradeMessage
  | OhlcMessage
  | ExtensionMessage;

/** The public channels this package decodes and stores. */
export type PublicChannel = 'status' | 'heartbeat' | 'instrument' | 'ticker' | 'book' | 'trade' | 'ohlc';
