import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Clock,
  KrakenkitError,
  type Logger,
  silentLogger,
  systemClock,
  type TimerHandle,
} from '@krakenkit/plugin-api';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  parseNonceOptions,
  type RedisNonceStoreOptions,
  redisNonceStoreOptionsSchema,
} from './nonce-config.js';
import {
  NonceExhaustedError,
  NonceLockTimeoutError,
  NonceScaleError,
  NonceStateError,
  NonceStoreError,
} from './nonce-errors.js';
import { nonceKeyLabel } from './nonce-key.js';
import {
  acquireScript,
  extendScript,
  issueScript,
  raiseFloorScript,
  releaseScript,
} from './nonce-redis-scripts.js';
import { maxNonce, parseNonce } from './nonce-scale.js';
import type { NonceLease, NonceRequest, NonceStore } from './nonce-store.js';

/** The commands defined from our Lua scripts (`defineCommand` runs them with EVALSHA, falling back to EVAL). */
interface ScriptedRedis extends Redis {
  krakenkitNonceIssue(state: string, clockNonce: string, scale: string, max: string): Promise<string>;
  krakenkitNonceAcquire(
    state: string,
    lock: string,
    token: string,
    ttlMs: number,
    clockNonce: string,
    scale: string,
    max: string,
  ): Promise<[1, string] | [0, number, string]>;
  krakenkitNonceRelease(lock: string, token: string): Promise<number>;
  krakenkitNonceExtend(lock: string, token: string, ttlMs: number): Promise<number>;
  krakenkitNonceRaiseFloor(state: string, floor: string): Promise<number>;
}

export interface RedisNonceStoreServices {
  logger?: Logger;
  /** Times lock waits and lock extensions. Default: the system clock (the other side is Redis). */
  lockClock?: Clock;
}

function delay(clock: Clock, ms: number): Promise<void> {
  // Referenced on purpose: a process whose only work is waiting for the lock must not exit.
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** `host:port` of the URL, never its credentials. */
function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured server';
  }
}

/** Who holds a lock, from its token (`host:pid:uuid`). */
function describeHolder(token: string): string {
  const [host, pid] = token.split(':');
  return host && pid ? `pid ${pid} on ${host}` : 'another client';
}

/**
 * Shares each key's high-water mark through Redis, for processes on several hosts.
 *
 * A nonce is one atomic script: `max(stored + 1, clock nonce)`, stored before it is returned,
 * with the scale recorded and checked. The send lock is `SET lock token NX PX lockTtlMs`, taken
 * in the same script as the first nonce (one round trip), extended by its holder every third
 * of the TTL, and released by a compare-and-delete script, so an expired lock is never
 * deleted from under its next holder. Keys: `<prefix>{<keyHash>}` (a hash with `last` and
 * `scale`) and `<prefix>{<keyHash>}:lock`; the braces keep both in one Redis Cluster slot.
 */
export class RedisNonceStore implements NonceStore {
  readonly storage = 'redis';
  readonly options: RedisNonceStoreOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #server: string;
  #redis: ScriptedRedis | undefined;

  private constructor(options: RedisNonceStoreOptions, services: RedisNonceStoreServices) {
    this.options = options;
    this.#logger = services.logger ?? silentLogger;
    this.#clock = services.lockClock ?? systemClock;
    this.#server = describeServer(options.url);
  }

  /** Parses `options` with {@link redisNonceStoreOptionsSchema} (throws `NonceConfigError`). */
  static create(
    options: z.input<typeof redisNonceStoreOptionsSchema>,
    services: RedisNonceStoreServices = {},
  ): RedisNonceStore {
    return new RedisNonceStore(
      parseNonceOptions(redisNonceStoreOptionsSchema, options, 'Redis nonce store options'),
      services,
    );
  }

  /** The Redis key of a key hash's state (for operators and tests). */
  stateKey(keyHash: string): string {
    return `${this.options.keyPrefix}{${keyHash}}`;
  }

  lockKey(keyHash: string): string {
    return `${this.stateKey(keyHash)}:lock`;
  }

  async open(): Promise<void> {
    const { commandTimeoutMs } = this.options;
    const redis = new Redis(this.options.url, {
      lazyConnect: true,
      // Fail closed: a command while disconnected fails at once instead of waiting in a queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: commandTimeoutMs,
      connectionName: 'krakenkit-nonce',
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    }) as ScriptedRedis;
    redis.defineCommand('krakenkitNonceIssue', { numberOfKeys: 1, lua: issueScript });
    redis.defineCommand('krakenkitNonceAcquire', { numberOfKeys: 2, lua: acquireScript });
    redis.defineCommand('krakenkitNonceRelease', { numberOfKeys: 1, lua: releaseScript });
    redis.defineCommand('krakenkitNonceExtend', { numberOfKeys: 1, lua: extendScript });
    redis.defineCommand('krakenkitNonceRaiseFloor', { numberOfKeys: 1, lua: raiseFloorScript });
    let connected = false;
    redis.on('error', (error: Error) => {
      // ioredis reports each failed reconnect; log the first of a series only.
      if (connected)
        this.#logger.warn({ server: this.#server, err: error.message }, 'Redis nonce store connection error');
      connected = false;
    });
    redis.on('ready', () => {
      if (this.#redis === redis && !connected)
        this.#logger.info({ server: this.#server }, 'Redis nonce store connected');
      connected = true;
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw this.#failure('connect', error, undefined);
    }
    connected = true;
    this.#redis = redis;
  }

  async close(): Promise<void> {
    const redis = this.#redis;
    this.#redis = undefined;
    if (redis === undefined) return;
    try {
      await redis.quit();
    } catch {
      redis.disconnect();
    }
  }

  async issue(request: NonceRequest): Promise<bigint> {
    const redis = this.#connection();
    const { keyHash, scale } = request;
    try {
      const nonce = await redis.krakenkitNonceIssue(
        this.stateKey(keyHash),
        request.clockNonce().toString(),
        scale,
        maxNonce.toString(),
      );
      return parseNonce(nonce, 'The nonce Redis returned');
    } catch (error) {
      throw this.#failure('issue a nonce', error, request);
    }
  }

  async acquire(request: NonceRequest): Promise<NonceLease> {
    const redis = this.#connection();
    const { keyHash, scale } = request;
    const { lockTtlMs, lockTimeoutMs } = this.options;
    const lockKey = this.lockKey(keyHash);
    const token = `${hostname()}:${process.pid}:${randomUUID()}`;
    const started = this.#clock.monotonic();
    for (let attempt = 0; ; attempt++) {
      let reply: [1, string] | [0, number, string];
      try {
        reply = await redis.krakenkitNonceAcquire(
          this.stateKey(keyHash),
          lockKey,
          token,
          lockTtlMs,
          request.clockNonce().toString(),
          scale,
          maxNonce.toString(),
        );
      } catch (error) {
        throw this.#failure('issue a nonce', error, request);
      }
      if (reply[0] === 1) {
        let nonce: bigint;
        try {
          nonce = parseNonce(reply[1], 'The nonce Redis returned');
        } catch (error) {
          await redis.krakenkitNonceRelease(lockKey, token).catch(() => undefined);
          throw this.#failure('issue a nonce', error, request);
        }
        return this.#lease(keyHash, lockKey, token, nonce);
      }
      const waited = this.#clock.monotonic() - started;
      if (waited >= lockTimeoutMs) throw new NonceLockTimeoutError(keyHash, waited, describeHolder(reply[2]));
      const expiresIn = reply[1] > 0 ? reply[1] : 1;
      await delay(this.#clock, Math.min(2 ** Math.min(attempt, 3), expiresIn, lockTimeoutMs - waited));
    }
  }

  async raiseFloor(keyHash: string, atLeast: bigint): Promise<void> {
    const redis = this.#connection();
    try {
      await redis.krakenkitNonceRaiseFloor(this.stateKey(keyHash), atLeast.toString());
    } catch (error) {
      throw this.#failure('raise the floor', error, { keyHash });
    }
  }

  #lease(keyHash: string, lockKey: string, token: string, nonce: bigint): NonceLease {
    const redis = this.#connection();
    const { lockTtlMs } = this.options;
    const label = nonceKeyLabel(keyHash);
    let active = true;
    const heartbeat: TimerHandle = this.#clock.setInterval(
      () => {
        redis.krakenkitNonceExtend(lockKey, token, lockTtlMs).then(
          (extended) => {
            if (active && extended === 0) {
              this.#logger.warn(
                { key: label },
                'the Redis nonce lock expired while held; sends may reach Kraken out of order',
              );
            }
          },
          (error: unknown) => {
            if (active)
              this.#logger.warn({ key: label, err: String(error) }, 'could not extend the Redis nonce lock');
          },
        );
      },
      Math.max(30, Math.floor(lockTtlMs / 3)),
    );
    heartbeat.unref();
    return {
      nonce,
      get active() {
        return active;
      },
      // The lock is held: more nonces or a raised floor need no further locking.
      issue: (request) => this.issue(request),
      raiseFloor: (atLeast) => this.raiseFloor(keyHash, atLeast),
      release: async () => {
        if (!active) return;
        active = false;
        this.#clock.clearInterval(heartbeat);
        try {
          const released = await redis.krakenkitNonceRelease(lockKey, token);
          if (released === 0) {
            this.#logger.warn(
              { key: label },
              'the Redis nonce lock had expired before release (the send took longer than lockTtlMs?)',
            );
          }
        } catch (error) {
          // It expires after lockTtlMs anyway; the send's result must not be lost for this.
          this.#logger.error({ key: label, err: String(error) }, 'could not release the Redis nonce lock');
        }
      },
    };
  }

  #connection(): ScriptedRedis {
    if (this.#redis === undefined) throw new NonceStateError('Redis nonce store', 'closed');
    return this.#redis;
  }

  #failure(operation: string, error: unknown, request: { keyHash: string; scale?: string } | undefined) {
    if (error instanceof KrakenkitError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (request !== undefined) {
      // Redis may prefix script errors with 'ERR '.
      if (/\bNONCE_EXHAUSTED\b/.test(message)) return new NonceExhaustedError(request.keyHash);
      const downgrade = /\bNONCE_SCALE_DOWNGRADE (\w+)/.exec(message);
      if (downgrade?.[1] !== undefined && request.scale !== undefined) {
        return new NonceScaleError(request.keyHash, downgrade[1], request.scale);
      }
      if (/\bNONCE_CORRUPT\b/.test(message)) {
        return new NonceStoreError('redis', operation, new Error('the stored value is not a nonce'), {
          keyHash: request.keyHash,
          hint: `Redis key ${this.stateKey(request.keyHash)} was changed by something else; restore it, or set its 'last' field to the last nonce used.`,
        });
      }
    }
    return new NonceStoreError('redis', operation, error, {
      ...(request === undefined ? {} : { keyHash: request.keyHash }),
      hint: `Check that Redis at ${this.#server} is reachable and healthy.`,
    });
  }
}
