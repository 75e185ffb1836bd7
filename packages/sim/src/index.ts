/**
 * A faithful local Kraken Spot exchange: WebSocket v2 (public and private) and REST, a
 * matching engine with accounts, fees and holds, Kraken's rate limits, and fault injection.
 * `startSim()` for tests; the `krakenkit-sim` CLI for paper trading.
 *
 * @packageDocumentation
 */

export { startControlServer } from './control-server.js';
export { type Sim, type SimUrls, type StartSimOptions, startSim } from './sim.js';
export {
  loadAccountsFile,
  parseAccounts,
  type SimAccountInput,
  type SimAccountSpec,
  sampleAccountsPath,
  simAccountSchema,
} from './sim-accounts.js';
export { defaultLimits, type SimLimits } from './sim-context.js';
export type { SimConnectionInfo, SimControl } from './sim-control.js';
export type { FaultKind, FaultRecord, FaultSchedule, FaultTarget, SimFault } from './sim-faults.js';
export {
  defaultAssets,
  defaultPairs,
  type SimAsset,
  type SimMarketModel,
  type SimPair,
} from './sim-pairs.js';
export type { SystemStatus, Tier } from './sim-types.js';
