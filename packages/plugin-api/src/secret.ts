const redacted = '[REDACTED]';
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base of objects that hold secrets: `String()`, template literals, `JSON.stringify`,
 * `util.inspect` and loggers all print `[REDACTED]` (inspect: `ClassName([REDACTED])`).
 * Keep the secret in `#private` fields, which no formatter reads.
 */
export abstract class Redacted {
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
    return `${this.constructor.name}(${redacted})`;
  }
}

/**
 * Holds a secret (API secret, WS token, signature) so that it cannot leak by accident.
 * Only {@link Secret.reveal} returns the value; call it at the point of use.
 */
export class Secret<T = string> extends Redacted {
  readonly #value: T;

  constructor(value: T) {
    super();
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }
}
