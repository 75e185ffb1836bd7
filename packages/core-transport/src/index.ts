/**
 * The data layer of krakenkit's Kraken WebSocket v2 transport: pure, synchronous, no I/O.
 * Lossless frame parsing (`parseWireFrame`), boundary validation of every public channel
 * (`decodeWireFrame`, `FrameDecoder`), checksummed order books with per-symbol resync
 * (`BookStore`, `OrderBook`), channel stores (trades, OHLC, ticker, instrument, status),
 * slow-consumer queues, the exact outbound JSON writer, and `MarketDataRouter`, which ties
 * them together for one connection.
 *
 * @packageDocumentation
 */

export {
  type BookPrecision,
  bookChecksum,
  checksumDigits,
  checksumInput,
  checksumLevels,
  crc32,
  fitsPrecision,
} from './book-checksum.js';
export { decodeBookFrame } from './book-frame-decoder.js';
export { decodeBookMessage, maxBookLevels } from './book-message-decoder.js';
export { defaultResyncBackoff, type ResyncBackoffOptions, resyncDelayMs } from './book-resync-backoff.js';
export {
  type BookStateChangeEvent,
  BookStore,
  type BookStoreEvents,
  type BookStoreOptions,
  type BookStoreStats,
  bookDepths,
  type ChecksumMismatchEvent,
  type PrecisionSource,
  type ResyncAlertEvent,
  type ResyncNeededEvent,
  type ResyncReason,
} from './book-store.js';
export {
  BufferedQueue,
  type BufferedQueueEvents,
  type BufferedQueueOptions,
  type QueueAlarmEvent,
} from './buffered-queue.js';
export { ConflatingQueue, type ConflatingQueueOptions, type QueueStats } from './conflating-queue.js';
export {
  type ConnectionEvents,
  type ConnectionOptions,
  type ConnectionState,
  type ConnectionStats,
  KrakenConnection,
  type LivenessOptions,
  type OutboundOptions,
  type ReconnectOptions,
  type RequestOptions,
} from './connection.js';
// The socket layer: connections, requests, subscriptions, REST, and the plugin.
export { ConnectionAttemptBudget, type ConnectionAttemptBudgetOptions } from './connection-attempt-budget.js';
export { ReconnectBackoff, type ReconnectBackoffOptions } from './connection-backoff.js';
export { type CoreTransportConfig, coreTransportConfigSchema } from './core-transport-config.js';
export { coreTransportPlugin, coreTransportPlugin as default } from './core-transport-plugin.js';
export {
  bookStoreToken,
  httpClientToken,
  marketDataStreamsToken,
  marketDataToken,
  type PrivateConnection,
  type PrivateConnectionFactory,
  type PrivateConnectionOptions,
  privateConnectionFactoryToken,
  publicConnectionToken,
  subscriptionRegistryToken,
} from './core-transport-tokens.js';
export { midpointDecimal, subtractDecimal } from './decimal-math.js';
export {
  FrameDecoder,
  type FrameDecoderEvents,
  type FrameDecoderStats,
  type FrameRejectEvent,
  rejectExcerptLength,
} from './frame-decoder.js';
export {
  type HttpClientOptions,
  type HttpRequest,
  HttpResponseError,
  type HttpResult,
  HttpStatusError,
  HttpTransportError,
  KrakenHttpClient,
  type RestValue,
  toRestValue,
  unwrapEnvelope,
} from './http-client.js';
export {
  type InstrumentChangeEvent,
  InstrumentStore,
  type InstrumentStoreEvents,
} from './instrument-store.js';
export { classifyKrakenError, KrakenApiError, type KrakenErrorKind } from './kraken-error.js';
export { MarketDataRouter, type MarketDataRouterOptions } from './market-data-router.js';
export { type MarketDataStreamEvents, MarketDataStreams, type StreamName } from './market-data-streams.js';
export {
  OhlcStore,
  type OhlcStoreEvents,
  type OhlcStoreOptions,
  type OhlcUpdateEvent,
} from './ohlc-store.js';
export { BookChangedError, type BookSideName, type BookState, type OrderBook } from './order-book.js';
export {
  type OutboundLane,
  OutboundLimiter,
  type OutboundLimiterOptions,
  OutboundQueueFullError,
} from './outbound-limiter.js';
export { DefaultPrivateConnectionFactory } from './private-connection-factory.js';
export { PublicMarketFeed } from './public-market-feed.js';
export { type NotSentReason, type RequestResult, RequestTracker } from './request-tracker.js';
export { type StatusChangeEvent, StatusStore, type StatusStoreEvents } from './status-store.js';
export {
  type ActivityRule,
  Subscription,
  SubscriptionError,
  type SubscriptionEvents,
  type SubscriptionParamValue,
  SubscriptionRegistry,
  type SubscriptionRegistryOptions,
  type SubscriptionSpec,
  type SubscriptionState,
  subscriptionKey,
} from './subscription-registry.js';
export { TickerStore, type TickerStoreEvents } from './ticker-store.js';
export {
  type TradeGapEvent,
  TradeStore,
  type TradeStoreEvents,
  type TradeStoreOptions,
  type TradeStoreStats,
} from './trade-store.js';
export { TransportMetrics } from './transport-metrics.js';
export {
  type EventMap,
  type Listener,
  type ListenerErrorHandler,
  TypedEmitter,
} from './typed-emitter.js';
export type {
  ChannelDecodeResult,
  DecodeFailure,
  DecodeRejection,
  DecodeResult,
} from './wire-decode-result.js';
export {
  decodeWireFrame,
  decodeWireValue,
  type ExtensionDecoder,
  type WireDecodeOptions,
} from './wire-decoder.js';
export {
  type DecimalSign,
  isSymbol,
  isTimestamp,
  maxDecimalLength,
  readDecimal,
  readInteger,
  readIntegerText,
  readString,
  readTimestamp,
} from './wire-fields.js';
export type {
  AssetStatus,
  BookData,
  BookLevel,
  BookMessage,
  ChannelMessageType,
  ExtensionMessage,
  HeartbeatMessage,
  InstrumentAsset,
  InstrumentMessage,
  InstrumentPair,
  MethodResponse,
  OhlcBar,
  OhlcMessage,
  PairStatus,
  PongMessage,
  PublicChannel,
  StatusData,
  StatusMessage,
  SystemState,
  TickerData,
  TickerMessage,
  TradeData,
  TradeMessage,
  WireMessage,
} from './wire-messages.js';
export {
  exponentShape,
  fractionShape,
  negativeShape,
  WireNumber,
  wireNumberToDecimal,
  wireNumberToSafeInteger,
} from './wire-number.js';
export {
  defaultMaxDepth,
  defaultMaxFrameLength,
  parseWireFrame,
  type WireObject,
  type WireParseFailure,
  type WireParseOptions,
  type WireParseResult,
  type WireValue,
} from './wire-parser.js';
export {
  decimalToken,
  defaultDecimalFields,
  WireEncodeError,
  type WireRequest,
  type WriteWireJsonOptions,
  writeRequestFrame,
  writeWireJson,
} from './wire-writer.js';
