#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startControlServer } from './control-server.js';
import { startSim } from './sim.js';
import type { SimPair } from './sim-pairs.js';

const usage = `krakenkit-sim: a local Kraken Spot exchange (WebSocket v2 + REST) on loopback

Options:
  --port <n>            public WS + REST port (default 0: any free port)
  --private-port <n>    private WS port (default 0)
  --control-port <n>    HTTP control endpoint port (default 0)
  --host <addr>         interface (default 127.0.0.1)
  --seed <s>            market and fault seed (default 1)
  --accounts <file>     accounts JSON (default: the package's accounts.sample.json)
  --pairs <file>        pairs JSON: an array of pair definitions (default: BTC/USD, ETH/USD, POL/USD, PEPE/USD)
  --market-speed <x>    background market speed factor (default 1; 0 freezes)
  --number-format <f>   padded (default) or trimmed trailing zeros on the wire
  --help                this text
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'private-port': { type: 'string' },
    'control-port': { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    accounts: { type: 'string' },
    pairs: { type: 'string' },
    'market-speed': { type: 'string' },
    'number-format': { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    process.stderr.write(`--${name} must be a port number (0-65535), got ${value}\n`);
    process.exit(2);
  }
  return parsed;
}

const numberFormat = values['number-format'];
if (numberFormat !== undefined && numberFormat !== 'padded' && numberFormat !== 'trimmed') {
  process.stderr.write(`--number-format must be padded or trimmed, got ${numberFormat}\n`);
  process.exit(2);
}
const marketSpeed = values['market-speed'] === undefined ? undefined : Number(values['market-speed']);
if (marketSpeed !== undefined && !(marketSpeed >= 0)) {
  process.stderr.write(`--market-speed must be a number >= 0, got ${values['market-speed']}\n`);
  process.exit(2);
}
const port = intOption('port', values.port);
const privatePort = intOption('private-port', values['private-port']);
const controlPort = intOption('control-port', values['control-port']);

const sim = await startSim({
  ...(values.host ? { host: values.host } : {}),
  ...(port === undefined ? {} : { port }),
  ...(privatePort === undefined ? {} : { privatePort }),
  ...(values.seed ? { seed: values.seed } : {}),
  ...(values.accounts ? { accounts: values.accounts } : {}),
  ...(values.pairs ? { pairs: JSON.parse(readFileSync(values.pairs, 'utf8')) as SimPair[] } : {}),
  ...(marketSpeed === undefined ? {} : { marketSpeed }),
  ...(numberFormat ? { numberFormat } : {}),
});
const control = await startControlServer(sim, {
  ...(values.host ? { host: values.host } : {}),
  ...(controlPort === undefined ? {} : { port: controlPort }),
});

process.stdout.write(
  [
    'krakenkit-sim is running',
    `  public WS   ${sim.urls.publicWs}     (like wss://ws.kraken.com/v2)`,
    `  private WS  ${sim.urls.privateWs}     (like wss://ws-auth.kraken.com/v2)`,
    `  REST        ${sim.urls.rest}      (like https://api.kraken.com: /0/public/…, /0/private/…)`,
    `  control     ${control.url}`,
    `  pairs       ${sim.pairs.map((pair) => pair.symbol).join(', ')}`,
    `  accounts    ${sim.accounts.map((account) => `${account.id} (${account.tier})`).join(', ')}`,
    'Ctrl-C stops.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  await Promise.all([control.close(), sim.close()]);
  process.stdout.write('krakenkit-sim stopped\n');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
