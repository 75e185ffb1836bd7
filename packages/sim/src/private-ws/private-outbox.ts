/**
 * Orders a command's messages: while a trading command runs, channel messages it causes
 * (executions, balance updates, on every connection) are held; the command's response goes
 * out first, then the held messages in the order they happened. So a client sees
 * `add_order` → response, then `pending_new`, `new`, `trade`..., as Kraken typically sends
 * them. Messages caused by anything else (the background market filling a resting order,
 * a timer) go out at once.
 */
export class PrivateOutbox {
  readonly #held: Array<() => void> = [];
  #depth = 0;

  constructor(private readonly reportError: (error: unknown) => void) {}

  /** Sends now, or after the running command's response. */
  send(deliver: () => void): void {
    if (this.#depth > 0) this.#held.push(deliver);
    else this.#run(deliver);
  }

  /** Runs a command and its response with channel messages held until both are done. */
  hold(run: () => void): void {
    this.#depth += 1;
    try {
      run();
    } finally {
      this.#depth -= 1;
      if (this.#depth === 0) {
        for (let deliver = this.#held.shift(); deliver; deliver = this.#held.shift()) this.#run(deliver);
      }
    }
  }

  #run(deliver: () => void): void {
    try {
      deliver();
    } catch (error) {
      this.reportError(error);
    }
  }
}
