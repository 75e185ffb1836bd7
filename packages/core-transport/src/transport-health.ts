import type { HealthCheck, HealthReport, HealthStatus } from '@krakenkit/plugin-api';
import type { KrakenConnection } from './connection.js';
import type { MarketDataRouter } from './market-data-router.js';
import type { MarketDataStreams } from './market-data-streams.js';
import type { DefaultPrivateConnectionFactory } from './private-connection-factory.js';

const rank: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

function connectionHealth(connection: KrakenConnection): {
  status: HealthStatus;
  details: Record<string, unknown>;
} {
  const { state } = connection;
  const status: HealthStatus =
    state === 'open' && (connection.systemStatus ?? 'online') === 'online'
      ? 'healthy'
      : state === 'closed' || state === 'idle'
        ? 'unhealthy'
        : 'degraded';
  const stats = connection.stats;
  return {
    status,
    details: {
      state,
      systemStatus: connection.systemStatus,
      connectionId: connection.connectionId,
      rttMs: connection.rttMs,
      reconnects: stats.reconnects,
      livenessTimeouts: stats.livenessTimeouts,
      pendingRequests: connection.pendingRequests,
      queuedMessages: connection.queuedMessages,
    },
  };
}

/** Health of the public connection, every private connection, the books and the streams. */
export function createTransportHealth(parts: {
  publicConnection: KrakenConnection;
  router: MarketDataRouter;
  streams: MarketDataStreams;
  privateConnections: DefaultPrivateConnectionFactory;
}): HealthCheck {
  return {
    name: 'core-transport',
    check: (): HealthReport => {
      const publicHealth = connectionHealth(parts.publicConnection);
      const privates = parts.privateConnections.list().map(({ connection }) => ({
        name: connection.name,
        ...connectionHealth(connection),
      }));
      const bookStats = parts.router.books.stats();
      const resyncing = parts.router.books
        .symbols()
        .filter((symbol) => parts.router.books.state(symbol) === 'resyncing');
      const tradesAlarmed = parts.streams.trades.isAlarmed;
      let status = publicHealth.status;
      for (const entry of privates) if (rank[entry.status] > rank[status]) status = entry.status;
      if ((resyncing.length > 0 || tradesAlarmed) && status === 'healthy') status = 'degraded';
      const problems = [
        publicHealth.status === 'healthy' ? '' : `public connection ${parts.publicConnection.state}`,
        ...privates
          .filter((entry) => entry.status !== 'healthy')
          .map((entry) => `${entry.name} ${entry.details.state}`),
        resyncing.length > 0 ? `resyncing books: ${resyncing.join(', ')}` : '',
        tradesAlarmed ? 'trade stream backlog over its alarm depth' : '',
      ].filter(Boolean);
      return {
        status,
        ...(problems.length > 0 ? { message: problems.join('; ') } : {}),
        details: {
          public: publicHealth.details,
          private: privates.map((entry) => ({ name: entry.name, ...entry.details })),
          books: { symbols: parts.router.books.symbols().length, resyncing, ...bookStats },
          decoder: parts.router.decoder.stats(),
          streams: parts.streams.stats(),
        },
      };
    },
  };
}
