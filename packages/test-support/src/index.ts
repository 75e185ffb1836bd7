/**
 * Test helpers shared by krakenkit's packages. Private: used only by their tests.
 *
 * @packageDocumentation
 */

export { ensureBuilt, repositoryRoot } from './ensure-built.js';
export { type ForkWorkersOptions, forkWorkers, type WorkersResult } from './fork-workers.js';
export { FrameWindow, type FrameWindowResult } from './frame-window.js';
export { findRedisServer, type RedisServer, startRedisServer } from './redis-server.js';
export { type ChildCommand, serveChildCommands } from './serve-child-commands.js';
export { waitUntil } from './wait-until.js';
