import type { Logger } from '@krakenkit/plugin-api';
import type { Host } from './host.js';

/** The parts of `process` the signal helper uses (injectable for tests). */
export interface SignalProcess {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code?: number): never | undefined;
}

export interface StopOnSignalsOptions {
  /** Default `['SIGINT', 'SIGTERM']`. */
  signals?: readonly NodeJS.Signals[];
  /** Exit the process once the host stopped (code 0, or 1 if stopping failed). Default true. */
  exit?: boolean;
  logger?: Logger;
  process?: SignalProcess;
}

/**
 * Maps SIGINT/SIGTERM to `host.stop()`. A second signal while stopping exits at once
 * (code 130), for the operator who really means it. Returns a function that unhooks.
 */
export function stopOnSignals(host: Pick<Host, 'stop'>, options: StopOnSignalsOptions = {}): () => void {
  const target: SignalProcess = options.process ?? process;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger?.warn({ signal }, 'second signal while stopping; exiting now');
      target.exit(130);
      return;
    }
    stopping = true;
    options.logger?.info({ signal }, 'signal received; stopping');
    host.stop().then(
      () => {
        if (exit) target.exit(0);
      },
      (error: unknown) => {
        options.logger?.error({ err: error }, 'stop failed');
        if (exit) target.exit(1);
      },
    );
  };
  const listeners = signals.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) target.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) target.off(signal, listener);
  };
}
