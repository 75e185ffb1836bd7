import type { KrakenConnection } from '@krakenkit/core-transport';
import type { Clock } from '@krakenkit/plugin-api';
import { AuthCircuitOpenError, AuthError, PrivateSessionError } from './auth-errors.js';

export interface WaitForOpenOptions {
  clock: Clock;
  timeoutMs: number;
  /** For the timeout message: waiting for the first open, or a reopen after a renewal. */
  what: 'open' | 'reopen';
  /** Whether the session was closed (the connection then closes for good). */
  closed: () => boolean;
  closedError: () => PrivateSessionError;
}

/**
 * The connection's next `connection-open`. Rejects at once on a key problem (`AuthError`: it
 * does not fix itself) or an open token breaker (`AuthCircuitOpenError`: it says when it
 * tries again), on a refused upgrade or a closed session; after `timeoutMs` with
 * `PrivateSessionError`, naming the last token error. Listeners are removed when it settles.
 */
export function waitForOpen(connection: KrakenConnection, options: WaitForOpenOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let lastTokenError: unknown;
    const offs: Array<() => void> = [];
    const finish = (error?: unknown) => {
      options.clock.clearTimeout(timer);
      for (const off of offs) off();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = options.clock.setTimeout(() => {
      const last = lastTokenError instanceof Error ? ` (last token error: ${lastTokenError.message})` : '';
      finish(
        new PrivateSessionError(
          'open-timeout',
          `The private WebSocket connection did not ${options.what} within ${options.timeoutMs} ms${last}; it keeps trying. Check the network, Kraken's status, and the auth health check.`,
          lastTokenError === undefined ? {} : { cause: lastTokenError },
        ),
      );
    }, options.timeoutMs);
    timer.unref();
    offs.push(
      connection.on('connection-open', () => finish()),
      connection.on('token-error', ({ error }) => {
        lastTokenError = error;
        if (error instanceof AuthError || error instanceof AuthCircuitOpenError) finish(error);
      }),
      connection.on('connection-refused', ({ status }) =>
        finish(
          new PrivateSessionError(
            'refused',
            `The private WebSocket endpoint refused the connection (HTTP ${status}); not retrying. Check the configured private URL.`,
          ),
        ),
      ),
      connection.on('state-change', ({ to }) => {
        if (to === 'closed' && options.closed()) finish(options.closedError());
      }),
    );
  });
}
