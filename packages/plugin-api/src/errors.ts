/**
 * Base class of every error krakenkit throws. `code` is stable across versions and is what
 * callers should branch on; `message` says what happened and what to do about it.
 */
export class KrakenkitError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
