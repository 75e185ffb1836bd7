/**
 * Test helpers for plugin authors: `startTestHost`, `provide` (stand-ins for other plugins),
 * a virtual clock, and a capturing logger with production redaction.
 *
 * @packageDocumentation
 */

export { type CapturingLogger, createCapturingLogger } from './capturing-logger.js';
export {
  type Override,
  provide,
  type StartTestHostOptions,
  startTestHost,
  type TestHost,
} from './start-test-host.js';
export { createVirtualClock, settle, VirtualClock, type VirtualClockOptions } from './virtual-clock.js';
