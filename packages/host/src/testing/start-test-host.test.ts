import { clockToken, createToken, definePlugin } from '@krakenkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { provide, startTestHost } from './start-test-host.js';
import { VirtualClock } from './virtual-clock.js';

interface Greeter {
  greet(name: string): string;
}
const greeterToken = createToken<Greeter>({ id: 'greeter.greeter' });
const messageToken = createToken<string>({ id: 'welcome.message' });

const welcomePlugin = definePlugin({
  id: 'welcome',
  deps: { greeter: greeterToken },
  provides: { message: messageToken },
  setup: ({ deps, logger }) => {
    logger.info('wiring welcome');
    return { message: deps.greeter.greet('bot') };
  },
});

describe('startTestHost', () => {
  it('starts plugins with overrides standing in for missing providers', async () => {
    await using testHost = await startTestHost({
      plugins: [welcomePlugin],
      overrides: [provide(greeterToken, { greet: (name) => `hello ${name}` })],
    });
    expect(testHost.get(messageToken)).toBe('hello bot');
    expect(testHost.clock).toBeInstanceOf(VirtualClock);
    expect(testHost.logs.some((line) => line.includes('wiring welcome'))).toBe(true);
  });

  it('routes host-service overrides to the host itself', async () => {
    const clock = new VirtualClock({ now: 42 });
    const testHost = await startTestHost({
      plugins: [welcomePlugin],
      overrides: [provide(greeterToken, { greet: () => 'x' }), provide(clockToken, clock)],
    });
    expect(testHost.get(clockToken)).toBe(clock);
    await testHost.stop();
    expect(testHost.host.state).toBe('stopped');
  });

  it('fails like a real host when a dependency is neither added nor overridden', async () => {
    await expect(startTestHost({ plugins: [welcomePlugin] })).rejects.toThrow(
      "Plugin 'welcome' needs 'greeter.greeter', which no added plugin provides.",
    );
  });
});
