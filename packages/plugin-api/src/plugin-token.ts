import { KrakenkitError } from './errors.js';

const tokenIdPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z][a-zA-Z0-9]*$/;

/**
 * A typed handle for something a plugin provides or needs. `T` exists only in the type
 * system; reading it throws. Single tokens have exactly one provider; `multiple` tokens
 * collect a value from every plugin that provides them and resolve to an array.
 */
export interface Token<T, TMultiple extends boolean = boolean> {
  readonly $$type: 'krakenkit.token';
  /** `'<pluginId>.<name>'`, e.g. `'nonce.provider'`. Also the container key. */
  readonly id: string;
  readonly multiple: TMultiple;
  /** Package that provides this token, named in "missing provider" errors. */
  readonly providedBy: string | undefined;
  /** Phantom type carrier; throws when read. */
  readonly T: T;
}

export type AnyToken = Token<unknown, boolean>;

export interface CreateTokenOptions {
  id: string;
  /** Package that provides the token, for error messages (e.g. `'@krakenkit/nonce'`). */
  providedBy?: string;
}

export function createToken<T>(options: CreateTokenOptions & { multiple?: false }): Token<T, false>;
export function createToken<T>(options: CreateTokenOptions & { multiple: true }): Token<T, true>;
export function createToken<T>(options: CreateTokenOptions & { multiple?: boolean }): Token<T, boolean> {
  if (!tokenIdPattern.test(options.id)) {
    throw new KrakenkitError(
      'INVALID_TOKEN_ID',
      `Token id '${options.id}' must look like '<pluginId>.<name>': a kebab-case plugin id, a dot, a camelCase name.`,
    );
  }
  const token = {
    $$type: 'krakenkit.token' as const,
    id: options.id,
    multiple: options.multiple ?? false,
    providedBy: options.providedBy,
    toString: () => `Token(${options.id})`,
  };
  Object.defineProperty(token, 'T', {
    enumerable: false,
    get() {
      throw new KrakenkitError('TOKEN_TYPE_READ', `Token(${options.id}).T exists only in the type system.`);
    },
  });
  return Object.freeze(token) as Token<T, boolean>;
}

export function isToken(value: unknown): value is AnyToken {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === 'krakenkit.token'
  );
}

/** A dependency the plugin can run without; it receives `undefined` (or `[]` for multiple tokens). */
export interface OptionalDependency<TToken extends AnyToken = AnyToken> {
  readonly $$type: 'krakenkit.optional';
  readonly token: TToken;
}

export function optional<TToken extends AnyToken>(token: TToken): OptionalDependency<TToken> {
  if (!isToken(token)) {
    throw new KrakenkitError('INVALID_DEPENDENCY', 'optional() takes a token created with createToken().');
  }
  return Object.freeze({ $$type: 'krakenkit.optional' as const, token });
}

export function isOptionalDependency(value: unknown): value is OptionalDependency {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === 'krakenkit.optional'
  );
}

export type Dependency = AnyToken | OptionalDependency;

/** What resolving a token yields: the value, or an array of values for multiple tokens. */
export type TokenValue<TToken> =
  TToken extends Token<infer T, true> ? T[] : TToken extends Token<infer T, false> ? T : never;

/** What one plugin provides for a token: a single value, also for multiple tokens. */
export type ProvidedValue<TToken> = TToken extends Token<infer T, boolean> ? T : never;
