import { KrakenkitError } from '@krakenkit/plugin-api';

/** What a Kraken error means for the caller. */
export type KrakenErrorKind =
  | 'invalid-key'
  | 'invalid-signature'
  | 'invalid-nonce'
  | 'lockout'
  | 'permission-denied'
  | 'invalid-arguments'
  | 'rate-limit'
  | 'trading-rate-limit'
  | 'orders-limit'
  | 'insufficient-funds'
  | 'order-rejected'
  | 'unknown-order'
  | 'market-restricted'
  | 'service-unavailable'
  | 'service-busy'
  | 'deadline-elapsed'
  | 'internal-error'
  | 'invalid-session'
  | 'unknown-pair'
  | 'subscription-rejected'
  | 'unknown';

interface Classification {
  kind: KrakenErrorKind;
  /** Safe to repeat a read after backoff. */
  retryable: boolean;
  /** For a state-changing command: the outcome is unknown and must be reconciled, not retried. */
  outcomeUnknown: boolean;
  /** What to tell the user to do. */
  advice: string;
}

// Matched by prefix, in order: Kraken appends details (`EGeneral:Invalid arguments:ordertype`).
const rules: readonly (readonly [string, Classification])[] = [
  [
    'EAPI:Invalid key',
    rule('invalid-key', false, false, 'Check the API key; repeated invalid keys lead to a lockout.'),
  ],
  [
    'EAPI:Invalid signature',
    rule('invalid-signature', false, false, 'Check the API secret; the signed bytes must be the sent bytes.'),
  ],
  [
    'EAPI:Invalid nonce',
    rule(
      'invalid-nonce',
      false,
      false,
      "Use one key per process, a shared nonce store, or raise the key's nonce window.",
    ),
  ],
  [
    'EGeneral:Temporary lockout',
    rule('lockout', false, false, 'Too many failed calls: stop calling for about 15 minutes.'),
  ],
  [
    'EGeneral:Permission denied',
    rule('permission-denied', false, false, 'Enable the needed permission on the API key.'),
  ],
  [
    'EAPI:Permission denied',
    rule('permission-denied', false, false, 'Enable the needed permission on the API key.'),
  ],
  [
    'EAccount:Invalid permissions',
    rule('permission-denied', false, false, 'Enable the needed permission on the API key.'),
  ],
  [
    'EGeneral:Invalid arguments',
    rule('invalid-arguments', false, false, 'Fix the request parameters named in the error.'),
  ],
  [
    'EAPI:Rate limit exceeded',
    rule('rate-limit', true, false, 'Slow down REST calls; the counter decays by tier.'),
  ],
  ['EGeneral:Too many requests', rule('rate-limit', true, false, 'Slow down.')],
  ['EService:Throttled', rule('rate-limit', true, false, 'Retry after the timestamp in the error.')],
  ['EAuth:Rate limit exceeded', rule('rate-limit', true, false, 'Slow down.')],
  ['EAuth:Too many requests', rule('rate-limit', true, false, 'Slow down.')],
  [
    'EOrder:Rate limit exceeded',
    rule(
      'trading-rate-limit',
      false,
      false,
      'The pair’s trading counter is full; wait for it to decay and avoid cancelling young orders.',
    ),
  ],
  [
    'EOrder:Domain rate limit exceeded',
    rule('trading-rate-limit', false, false, 'The account’s trading counter is full; slow down.'),
  ],
  [
    'EOrder:Orders limit exceeded',
    rule('orders-limit', false, false, 'Too many open orders on this pair for the account tier.'),
  ],
  [
    'EOrder:Insufficient funds',
    rule('insufficient-funds', false, false, 'Not enough available balance for this order.'),
  ],
  ['EOrder:Unknown order', rule('unknown-order', false, false, 'The order is unknown or already closed.')],
  ['EOrder:Invalid order', rule('unknown-order', false, false, 'The order is unknown or already closed.')],
  ['EOrder:', rule('order-rejected', false, false, 'The exchange rejected the order; see the error text.')],
  [
    'EService:Market in',
    rule(
      'market-restricted',
      false,
      false,
      'The market is restricted (cancel_only / post_only / limit_only); wait for online.',
    ),
  ],
  [
    'EService:Unavailable',
    rule('service-unavailable', true, true, 'The exchange is unavailable; reconcile orders before retrying.'),
  ],
  [
    'EService:Busy',
    rule('service-busy', true, true, 'The exchange is busy; reconcile orders before retrying.'),
  ],
  [
    'EService:Deadline elapsed',
    rule('deadline-elapsed', false, true, 'The request missed its deadline; reconcile before retrying.'),
  ],
  [
    'EGeneral:Internal error',
    rule('internal-error', true, true, 'Kraken had an internal error; reconcile orders before retrying.'),
  ],
  [
    'EDatabase:Internal error',
    rule('internal-error', true, true, 'Kraken had an internal error; reconcile orders before retrying.'),
  ],
  [
    'ESession:Invalid session',
    rule('invalid-session', false, false, 'Get a fresh WebSocket token and resubscribe.'),
  ],
  [
    'EAPI:Invalid token',
    rule('invalid-session', false, false, 'Get a fresh WebSocket token and resubscribe.'),
  ],
  [
    'EQuery:Unknown asset pair',
    rule('unknown-pair', false, false, 'Use a pair the exchange lists (v2 symbols like BTC/USD).'),
  ],
  ['EQuery:Unknown asset', rule('unknown-pair', false, false, 'Use an asset the exchange lists.')],
  [
    'Currency pair not supported',
    rule(
      'unknown-pair',
      false,
      false,
      'Use a v2 symbol the instrument channel lists (BTC/USD, not XBT/USD).',
    ),
  ],
  [
    'Subscription name invalid',
    rule('subscription-rejected', false, false, 'Use a channel Kraken WS v2 has.'),
  ],
  [
    'Already subscribed',
    rule('subscription-rejected', false, false, 'The subscription already exists on this connection.'),
  ],
  ['Exceeded msg rate', rule('rate-limit', true, false, 'Send fewer WebSocket messages per second.')],
];

function rule(
  kind: KrakenErrorKind,
  retryable: boolean,
  outcomeUnknown: boolean,
  advice: string,
): Classification {
  return { kind, retryable, outcomeUnknown, advice };
}

const unknownClassification = rule(
  'unknown',
  false,
  true,
  'Unrecognized Kraken error; treat order outcomes as unknown.',
);

/** Longest Kraken error text kept (errors are venue input: bounded before they reach a log). */
const maxErrorLength = 512;

/** Classifies a Kraken error string (REST `error[]` entry or WS `error`). */
export function classifyKrakenError(error: string): Classification {
  for (const [prefix, classification] of rules) if (error.startsWith(prefix)) return classification;
  return unknownClassification;
}

/**
 * An error Kraken returned, mapped in one place: `kind` says what it means, `retryable`
 * whether a read may be repeated, `outcomeUnknown` whether a state-changing command may
 * have happened anyway (reconcile, never blindly resend).
 */
export class KrakenApiError extends KrakenkitError {
  readonly kind: KrakenErrorKind;
  readonly krakenError: string;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;

  constructor(krakenError: string, context: string, options?: { cause?: unknown }) {
    const text =
      krakenError.length > maxErrorLength ? `${krakenError.slice(0, maxErrorLength)}…` : krakenError;
    const classification = classifyKrakenError(text);
    super(
      `KRAKEN_${classification.kind.toUpperCase().replaceAll('-', '_')}`,
      `${context}: ${text}. ${classification.advice}`,
      options,
    );
    this.kind = classification.kind;
    this.krakenError = text;
    this.retryable = classification.retryable;
    this.outcomeUnknown = classification.outcomeUnknown;
  }
}
