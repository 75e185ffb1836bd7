import { ConnectionAttemptBudget, DefaultPrivateConnectionFactory } from '@krakenkit/core-transport';
import { type Clock, createSeededRandom, type Logger } from '@krakenkit/plugin-api';

/**
 * core-transport's own private connection factory, with settings that suit tests (short
 * reconnect delays), standing in for the core-transport plugin where a test needs no host.
 */
export function createPrivateConnectionFactory(
  url: string,
  services: { clock: Clock; logger: Logger },
): DefaultPrivateConnectionFactory {
  return DefaultPrivateConnectionFactory.create({
    url,
    settings: {
      clock: services.clock,
      random: createSeededRandom('auth-test'),
      logger: services.logger,
      budget: new ConnectionAttemptBudget(services.clock),
      liveness: { idlePingMs: 10_000, deadlineMs: 30_000, keepAlivePingMs: 20_000 },
      reconnect: { baseDelayMs: 100, maxDelayMs: 2_000, stableAfterMs: 60_000, restrictedMinDelayMs: 500 },
      requestTimeoutMs: 5_000,
      outbound: { messagesPerSecond: 20, burst: 20, maxBufferedBytes: 1 << 20, maxQueued: 1_000 },
      maxInboundFrameBytes: 8 << 20,
      handshakeTimeoutMs: 5_000,
      statusWaitMs: 2_000,
    },
    subscriptions: { ackTimeoutMs: 5_000 },
  });
}
