import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopOnSignals } from './host-signals.js';
import { settle } from './testing/virtual-clock.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    exits,
    emit: (signal: NodeJS.Signals) => emitter.emit(signal),
    listenerCount: (signal: NodeJS.Signals) => emitter.listenerCount(signal),
    process: {
      on: (signal: NodeJS.Signals, listener: () => void) => emitter.on(signal, listener),
      off: (signal: NodeJS.Signals, listener: () => void) => emitter.off(signal, listener),
      exit: (code?: number) => {
        exits.push(code ?? 0);
        return undefined;
      },
    },
  };
}

describe('stopOnSignals', () => {
  it('stops the host on SIGTERM and exits 0', async () => {
    const fake = fakeProcess();
    let stops = 0;
    stopOnSignals({ stop: async () => void stops++ }, { process: fake.process });
    fake.emit('SIGTERM');
    await settle();
    expect(stops).toBe(1);
    expect(fake.exits).toEqual([0]);
  });

  it('exits 1 when stopping fails, and 130 at once on a second signal', async () => {
    const fake = fakeProcess();
    let fail: (error: Error) => void = () => undefined;
    stopOnSignals(
      { stop: () => new Promise<void>((_, reject) => (fail = reject)) },
      { process: fake.process },
    );
    fake.emit('SIGINT');
    fake.emit('SIGINT');
    expect(fake.exits).toEqual([130]);
    fail(new Error('stuck'));
    await settle();
    expect(fake.exits).toEqual([130, 1]);
  });

  it('can leave exiting to the app and unhooks cleanly', async () => {
    const fake = fakeProcess();
    let stops = 0;
    const unhook = stopOnSignals({ stop: async () => void stops++ }, { process: fake.process, exit: false });
    expect(fake.listenerCount('SIGINT')).toBe(1);
    fake.emit('SIGINT');
    await settle();
    expect(stops).toBe(1);
    expect(fake.exits).toEqual([]);
    unhook();
    expect(fake.listenerCount('SIGINT')).toBe(0);
    expect(fake.listenerCount('SIGTERM')).toBe(0);
  });
});
