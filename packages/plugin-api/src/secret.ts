const redacted = '[REDACTED]';
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * Holds a secret (API secret, WS token, signature) so that it cannot leak by accident:
 * `String()`, template literals, `JSON.stringify`, `util.inspect` and loggers all print
 * `[REDACTED]`. Only {@link Secret.reveal} returns the value; call it at the point of use.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return redacted;
  }

  toJSON(): string {
    return redacted;
  }

  [Symbol.toPrimitive](): string {
    return redacted;
  }

  [inspectCustom](): string {
    return `Secret(${redacted})`;
  }
}
