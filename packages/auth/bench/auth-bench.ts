// What signing costs. Two groups, each against a baseline measured in the same run:
// - CPU: API-Sign per second versus SHA-256 of the same bytes (the least any signature does),
//   plus body encoding and signing together;
// - round trips against the sim on loopback: signed private Balance calls (nonce, encode,
//   sign, send, verify at the sim) versus unsigned public Time calls on the same HTTP client.
// Prints a table and writes bench-results/auth.json.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KrakenHttpClient } from '@krakenkit/core-transport';
import { MemoryNonceStore, StoreNonceProvider } from '@krakenkit/nonce';
import { silentLogger } from '@krakenkit/plugin-api';
import { startSim } from '@krakenkit/sim';
import { authConfigSchema, encodePrivateBody, KrakenCredentials, SignedRestClient } from '../src/index.js';

interface Row {
  group: 'cpu' | 'round trip';
  name: string;
  operations: number;
  seconds: number;
  perSecond: number;
  microsecondsEach: number;
  ratioToBaseline: number;
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiKey = `bench-key-${randomBytes(8).toString('hex')}`;
const apiSecret = randomBytes(64).toString('base64');
const path = '/0/private/AddOrder';
const params = { ordertype: 'limit', pair: 'XBTUSD', price: '37500', type: 'buy', volume: '1.25' };
const nonce = '1767225600000000000';
const body = encodePrivateBody(nonce, params, 'form');

function measure(operations: number, work: () => void): { operations: number; seconds: number } {
  for (let i = 0; i < Math.min(10_000, operations / 10); i++) work(); // warm-up
  const started = performance.now();
  for (let i = 0; i < operations; i++) work();
  return { operations, seconds: (performance.now() - started) / 1_000 };
}

async function measureAsync(operations: number, work: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(200, operations / 10); i++) await work(); // warm-up: connections, JIT
  const started = performance.now();
  for (let i = 0; i < operations; i++) await work();
  return { operations, seconds: (performance.now() - started) / 1_000 };
}

const rows: Row[] = [];
function record(
  group: Row['group'],
  name: string,
  result: { operations: number; seconds: number },
  baseline?: Row,
) {
  const perSecond = result.operations / result.seconds;
  const row: Row = {
    group,
    name,
    operations: result.operations,
    seconds: Number(result.seconds.toFixed(3)),
    perSecond: Math.round(perSecond),
    microsecondsEach: Number(((result.seconds / result.operations) * 1e6).toFixed(2)),
    ratioToBaseline: baseline ? Number((perSecond / baseline.perSecond).toPrecision(3)) : 1,
  };
  rows.push(row);
  return row;
}

// CPU.
const credentials = KrakenCredentials.from({ apiKey, apiSecret });
let sink = 0;
const hashing = record(
  'cpu',
  'baseline: SHA-256 of nonce + body',
  measure(300_000, () => {
    sink += createHash('sha256').update(nonce).update(body).digest()[0] ?? 0;
  }),
);
record(
  'cpu',
  'API-Sign (HMAC-SHA512 over path + SHA-256)',
  measure(200_000, () => {
    sink += credentials.sign(path, nonce, body).length;
  }),
  hashing,
);
record(
  'cpu',
  'form-encode the body + API-Sign',
  measure(100_000, () => {
    sink += credentials.sign(path, nonce, encodePrivateBody(nonce, params, 'form')).length;
  }),
  hashing,
);
record(
  'cpu',
  'JSON-encode the body + API-Sign',
  measure(100_000, () => {
    sink += credentials.sign(path, nonce, encodePrivateBody(nonce, params, 'json')).length;
  }),
  hashing,
);

// The client's whole share of a signed call, without the network: nonce under the send
// lock (memory store), encoding and signing.
const localNonces = StoreNonceProvider.create(MemoryNonceStore.create());
await localNonces.open();
record(
  'cpu',
  'withNonce (memory) + form-encode + API-Sign',
  await measureAsync(50_000, () =>
    localNonces.withNonce(apiKey, async (next) =>
      credentials.sign(path, next, encodePrivateBody(next, params, 'form')),
    ),
  ),
  hashing,
);
await localNonces.close();

// Round trips against the sim.
const sim = await startSim({
  marketSpeed: 0,
  accounts: [{ id: 'bench', apiKey, apiSecret, balances: { USD: '1000' } }],
  limits: { restCounter: false },
});
try {
  const http = new KrakenHttpClient({
    baseUrl: sim.urls.rest,
    timeoutMs: 10_000,
    userAgent: 'krakenkit-auth-bench',
    logger: silentLogger,
  });
  const nonces = StoreNonceProvider.create(MemoryNonceStore.create());
  await nonces.open();
  const config = authConfigSchema.parse({ apiKey, apiSecret });
  const client = new SignedRestClient(http, credentials, nonces, {
    retry: config.retry,
    requestTimeoutMs: config.requestTimeoutMs,
    bodyEncoding: 'form',
  });
  // Interleaved rounds, so drift on a busy machine hits every row alike.
  const contenders: Array<[string, () => Promise<unknown>]> = [
    ['baseline: public Time (unsigned GET)', () => http.public('Time')],
    ['private Balance (nonce + sign + POST)', () => client.call('Balance')],
    ['private Balance, JSON body', () => client.call('Balance', {}, { encoding: 'json' })],
  ];
  const totals = contenders.map(() => ({ operations: 0, seconds: 0 }));
  for (let round = 0; round < 8; round++) {
    for (const [index, [, work]] of contenders.entries()) {
      const result = await measureAsync(250, work);
      const total = totals[index];
      if (total) {
        total.operations += result.operations;
        total.seconds += result.seconds;
      }
    }
  }
  const unsigned = record('round trip', contenders[0]?.[0] ?? '', totals[0] ?? { operations: 0, seconds: 1 });
  for (const [index, [name]] of contenders.entries()) {
    if (index > 0) record('round trip', name, totals[index] ?? { operations: 0, seconds: 1 }, unsigned);
  }
  const invalid = sim.control.stats()['auth.invalid_nonce'] ?? 0;
  if (invalid !== 0) throw new Error(`the sim refused ${invalid} nonces during the benchmark`);
  await nonces.close();
} finally {
  await sim.close();
}
if (sink === 0.5) console.log('unreachable; keeps the loops from being optimized away');

console.table(
  rows.map((row) => ({
    group: row.group,
    operation: row.name,
    'ops/s': row.perSecond,
    'µs each': row.microsecondsEach,
    'ratio to baseline': row.ratioToBaseline,
  })),
);
const signedTrip = rows.find((row) => row.name.startsWith('private Balance ('));
const unsignedTrip = rows.find((row) => row.name.startsWith('baseline: public Time'));
const overheadMicroseconds =
  signedTrip && unsignedTrip
    ? Number((signedTrip.microsecondsEach - unsignedTrip.microsecondsEach).toFixed(1))
    : undefined;
console.log(`signed round trip costs ${overheadMicroseconds} µs more than an unsigned one`);

const resultsDir = join(packageDir, 'bench-results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'auth.json'),
  `${JSON.stringify(
    {
      benchmark: 'auth',
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      signedRoundTripOverheadMicroseconds: overheadMicroseconds,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${join(resultsDir, 'auth.json')}`);
