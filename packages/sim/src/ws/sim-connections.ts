import type { SimContext } from '../sim-context.js';
import { matchesTarget } from '../sim-faults.js';
import type { SimSession } from './sim-session.js';

/**
 * Every open connection, for the control API and the connection-level faults: drops
 * (clean close or TCP reset) and junk frames (malformed, binary, oversized).
 */
export class SimConnections {
  readonly #sessions = new Map<string, SimSession>();
  #nextId = 1;

  constructor(private readonly context: SimContext) {
    const { faults } = context;
    faults.registerActor('drop-connection', (fault) => {
      for (const session of this.matching(fault.target)) {
        context.stats.count(`faults.drop_${fault.mode}`);
        if (fault.mode === 'reset') session.reset();
        else session.close(fault.code ?? 1001, fault.reason ?? 'CloudFlare WebSocket proxy restarting');
      }
    });
    faults.registerActor('send-malformed', (fault) => {
      for (const session of this.matching(fault.target))
        session.send('{"channel":"book","type":"update","data":[{');
    });
    faults.registerActor('send-binary', (fault) => {
      for (const session of this.matching(fault.target))
        session.sendBinary(randomBytesSeeded(64, faults.random));
    });
    faults.registerActor('send-oversized', (fault) => {
      // Exactly `bytes` long: the padding fills what the JSON wrapper leaves.
      const wrapper = '{"channel":"oversized","data":""}';
      const padding = 'x'.repeat(Math.max(0, fault.bytes - wrapper.length));
      for (const session of this.matching(fault.target))
        session.send(`{"channel":"oversized","data":"${padding}"}`);
    });
  }

  nextId(endpoint: 'public' | 'private'): string {
    return `${endpoint}-${this.#nextId++}`;
  }

  add(session: SimSession): void {
    this.#sessions.set(session.connectionId, session);
  }

  remove(session: SimSession): void {
    this.#sessions.delete(session.connectionId);
  }

  get size(): number {
    return this.#sessions.size;
  }

  list(): SimSession[] {
    return [...this.#sessions.values()];
  }

  matching(target: Parameters<typeof matchesTarget>[0]): SimSession[] {
    return this.list().filter((session) => matchesTarget(target, session));
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const session of this.list()) session.close(code, reason);
  }
}

/** Deterministic junk for a seed. */
function randomBytesSeeded(length: number, random: () => number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}
