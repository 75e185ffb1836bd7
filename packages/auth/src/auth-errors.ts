import { KrakenkitError } from '@krakenkit/plugin-api';

// Every message here is built from a whitelist: method names, Kraken's error text (bounded
// by core-transport), counts and durations. Never a key, secret, token, signature, header
// or body, so an error can be logged, shown and serialized as it is.

/** Why Kraken (or the token circuit breaker) refused to authenticate a call. */
export type AuthProblem =
  | 'invalid-key'
  | 'invalid-signature'
  | 'permission-denied'
  | 'lockout'
  | 'circuit-open'
  | 'invalid-session';

const codes: Readonly<Record<AuthProblem, string>> = {
  'invalid-key': 'AUTH_INVALID_KEY',
  'invalid-signature': 'AUTH_INVALID_SIGNATURE',
  'permission-denied': 'AUTH_PERMISSION_DENIED',
  lockout: 'AUTH_LOCKOUT',
  'circuit-open': 'AUTH_CIRCUIT_OPEN',
  'invalid-session': 'AUTH_INVALID_SESSION',
};

/**
 * Kraken's API key permission each private method needs (PROTOCOL §3.2–3.3), named as in
 * Kraken's key settings, so a "permission denied" says which box to tick.
 */
const permissionByMethod: Readonly<Record<string, string>> = {
  GetWebSocketsToken: "'WebSocket interface'",
  Balance: "'Query Funds'",
  BalanceEx: "'Query Funds'",
  TradeBalance: "'Query Funds'",
  Ledgers: "'Query Ledger Entries'",
  QueryLedgers: "'Query Ledger Entries'",
  OpenOrders: "'Query Open Orders & Trades'",
  ClosedOrders: "'Query Closed Orders & Trades'",
  QueryOrders: "'Query Open Orders & Trades' and 'Query Closed Orders & Trades'",
  TradesHistory: "'Query Closed Orders & Trades'",
  QueryTrades: "'Query Closed Orders & Trades'",
  OrderAmends: "'Query Open Orders & Trades'",
  AddOrder: "'Create & Modify Orders'",
  AmendOrder: "'Create & Modify Orders'",
  AddOrderBatch: "'Create & Modify Orders' and 'Cancel & Close Orders'",
  EditOrder: "'Create & Modify Orders' and 'Cancel & Close Orders'",
  CancelOrder: "'Cancel & Close Orders'",
  CancelAll: "'Cancel & Close Orders'",
  CancelOrderBatch: "'Cancel & Close Orders'",
  CancelAllOrdersAfter: "'Cancel & Close Orders'",
};

function permissionAdvice(method: string | undefined): string {
  if (method === 'GetWebSocketsToken') {
    return "The API key lacks the 'WebSocket interface' permission, which GetWebSocketsToken needs. In Kraken's API key settings turn on 'WebSocket interface', together with what the private channels use ('Query Funds' for balances; 'Query Open Orders & Trades', 'Query Closed Orders & Trades' and 'Create & Modify Orders' / 'Cancel & Close Orders' for orders), or create a key that has them. Never enable withdrawals for a bot key.";
  }
  const permission = method === undefined ? undefined : permissionByMethod[method];
  return permission === undefined
    ? "The API key lacks the permission this call needs; enable it in Kraken's API key settings."
    : `The API key lacks the ${permission} permission this call needs; enable it in Kraken's API key settings, or use a key that has it.`;
}

const advice: Readonly<Record<Exclude<AuthProblem, 'circuit-open'>, (method: string | undefined) => string>> =
  {
    'invalid-key': () =>
      'Kraken does not know this API key. Check that apiKey is the public key exactly as Kraken shows it and that the key still exists. Not retried: repeated invalid keys lead to a temporary lockout.',
    'invalid-signature': () =>
      'The signature did not match. Check that apiSecret is the private key (base64, exactly as Kraken shows it) that belongs to this apiKey. Not retried: repeated failures lead to a temporary lockout.',
    'permission-denied': permissionAdvice,
    lockout: () =>
      'Kraken locked this API key out for a while (about 15 minutes) after too many failed calls. Not retried: stop using the key until then, and fix the cause (invalid nonces: share the key through one nonce store; invalid signatures: the wrong secret).',
    'invalid-session': () =>
      'Kraken refused the WebSocket token again after a fresh token and a new connection. Check that the key still has the WebSocket interface permission and that nothing else revokes its tokens.',
  };

/**
 * Kraken refused to authenticate: a wrong key or secret, a missing permission, a lockout,
 * a WebSocket token refused twice, or the token circuit breaker is open. Never retried by
 * this package; `problem` (and `code`) say which, and the message says what to fix.
 */
export class AuthError extends KrakenkitError {
  readonly problem: AuthProblem;
  /** The private method (`Balance`, `GetWebSocketsToken`) or WS method, when known. */
  readonly method: string | undefined;
  /** Kraken's error text, when Kraken sent one. */
  readonly krakenError: string | undefined;

  constructor(
    problem: Exclude<AuthProblem, 'circuit-open'>,
    options: { method?: string; krakenError?: string; cause?: unknown },
  ) {
    const where = options.method === undefined ? '' : `${options.method}: `;
    const what = options.krakenError === undefined ? '' : `${options.krakenError}. `;
    super(
      codes[problem],
      `${where}${what}${advice[problem](options.method)}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.problem = problem;
    this.method = options.method;
    this.krakenError = options.krakenError;
  }
}

/**
 * The WebSocket token circuit breaker is open after repeated failures: no request was sent.
 * It lets one request through again after `retryInMs`.
 */
export class AuthCircuitOpenError extends KrakenkitError {
  readonly problem = 'circuit-open' as const;

  constructor(
    readonly failures: number,
    readonly retryInMs: number,
    readonly lastFailure: string | undefined,
  ) {
    super(
      codes['circuit-open'],
      `Not requesting a WebSocket token: the last ${failures} request${failures === 1 ? '' : 's'} failed${lastFailure ? ` (last: ${lastFailure})` : ''}, so the circuit breaker is open; one request is let through again in ${Math.ceil(retryInMs / 1_000)} s. Fix the cause named in the last failure (the auth health check shows it).`,
    );
  }
}

/**
 * A state-changing call (AddOrder, CancelOrder, ...) failed in a way that does not tell
 * whether Kraken executed it: a timeout, a dropped connection, an HTTP 5xx, or a Kraken
 * error such as `EService:Unavailable`. It was not retried; reconcile before sending again.
 */
export class OutcomeUnknownError extends KrakenkitError {
  constructor(
    readonly method: string,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'AUTH_OUTCOME_UNKNOWN',
      `${method}: the outcome is unknown (${reason}); Kraken may or may not have executed it. It was not retried: reconcile first (query open and closed orders, e.g. by cl_ord_id) and send again only if it did not happen.`,
      options,
    );
  }
}

/** What is wrong with given credentials or a credentials file, for {@link CredentialsError}. */
export type CredentialsProblem =
  | 'missing-key'
  | 'malformed-key'
  | 'missing-secret'
  | 'malformed-secret'
  | 'short-secret'
  | 'not-absolute'
  | 'symlink'
  | 'not-a-file'
  | 'owner'
  | 'permissions'
  | 'unreadable'
  | 'malformed-file';

const credentialFixes: Readonly<Record<CredentialsProblem, (path: string) => string>> = {
  'missing-key': () => 'apiKey is empty; pass the public API key as Kraken shows it',
  'malformed-key': () =>
    'apiKey contains whitespace or control characters (a trailing newline from a file?); pass the public API key exactly as Kraken shows it',
  'missing-secret': () => 'apiSecret is empty; pass the private key as Kraken shows it',
  'malformed-secret': () =>
    'apiSecret is not base64 text; copy the private key exactly as Kraken shows it (letters, digits, + / and = padding)',
  'short-secret': () =>
    'apiSecret decodes to fewer than 32 bytes (Kraken private keys decode to 64); copy the whole private key',
  'not-absolute': () =>
    'the credentials path must be absolute, so it does not depend on the working directory',
  symlink: (path) => `${path} is a symbolic link; point to the real file`,
  'not-a-file': (path) => `${path} is not a regular file`,
  owner: (path) => `${path} is owned by another user; run as its owner, or \`chown $(id -u) ${path}\``,
  permissions: (path) =>
    `group or other users can read or write ${path}; run \`chmod 600 ${path}\` (and consider rotating the key)`,
  unreadable: (path) => `${path} cannot be read (it does not exist, or this user may not open it)`,
  'malformed-file': (path) =>
    `${path} must hold a JSON object with string fields "apiKey" and "apiSecret" and nothing else`,
};

/**
 * Credentials cannot be used: missing, malformed (the value is never echoed), or a
 * credentials file that others could read or replace.
 */
export class CredentialsError extends KrakenkitError {
  constructor(
    readonly problem: CredentialsProblem,
    readonly path?: string,
  ) {
    super(
      'AUTH_CREDENTIALS_INVALID',
      `Refusing the Kraken credentials: ${credentialFixes[problem](path ?? '')}.`,
    );
  }
}

/** A private call was asked for with a method name or parameters that cannot be sent. */
export class PrivateRequestError extends KrakenkitError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('AUTH_REQUEST_INVALID', message, options);
  }
}

/** The authenticated session could not open, or was used after it closed. */
export class PrivateSessionError extends KrakenkitError {
  constructor(
    readonly reason: 'closed' | 'open-timeout' | 'refused',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(reason === 'closed' ? 'AUTH_SESSION_CLOSED' : 'AUTH_SESSION_UNAVAILABLE', message, options);
  }
}
