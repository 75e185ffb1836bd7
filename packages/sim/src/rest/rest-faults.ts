import type { FaultInjector } from '../sim-faults.js';

/**
 * Whether a REST fault's optional `path` filter selects a request path: no filter selects
 * everything; `/0/private/AddOrder` selects exactly that path; a filter ending in `/`
 * (`/0/private/`) selects everything under it; a bare method name (`AddOrder`) selects that
 * method, public or private. `/0/private/CancelOrder` does not select CancelOrderBatch.
 */
export function faultPathMatches(filter: string | undefined, path: string): boolean {
  if (filter === undefined) return true;
  if (filter === path) return true;
  if (filter.endsWith('/')) return path.startsWith(filter);
  return !filter.includes('/') && path.endsWith(`/${filter}`);
}

/** What a request's REST fault (if any) does to it. */
export type RestFaultDecision =
  | { kind: 'none' }
  | { kind: 'http-error'; status: number }
  | { kind: 'kraken-error'; error: string };

/**
 * Decides a request's REST fault and counts the request toward `afterMessages` schedules.
 * The decision comes first, so `afterMessages: n` leaves n requests untouched and hits the
 * next one. Each matching request consumes one application (`count`) of the first matching
 * fault: `rest-http-error` before `rest-error`. A faulted request never reaches the API: no
 * nonce is consumed, nothing is executed.
 */
export function decideRestFault(faults: FaultInjector, path: string): RestFaultDecision {
  const httpError = faults.take('rest-http-error', (fault) => faultPathMatches(fault.path, path));
  const krakenError = httpError
    ? undefined
    : faults.take('rest-error', (fault) => faultPathMatches(fault.path, path));
  faults.noteRestRequest();
  if (httpError) return { kind: 'http-error', status: httpError.status };
  if (krakenError) return { kind: 'kraken-error', error: krakenError.error };
  return { kind: 'none' };
}

/** The `rest-lag` in force: the largest active lag, 0 without one. Lasting, never consumed. */
export function restLagMs(faults: FaultInjector): number {
  return faults.active('rest-lag').reduce((lag, fault) => Math.max(lag, fault.lagMs), 0);
}
