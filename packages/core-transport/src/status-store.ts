import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import type { StatusData, StatusMessage, SystemState } from './wire-messages.js';

export interface StatusChangeEvent {
  readonly previous: StatusData | undefined;
  readonly current: StatusData;
}

export interface StatusStoreEvents {
  [event: string]: unknown;
  'status-change': StatusChangeEvent;
}

/**
 * The latest `status` push: engine state (`online`, `maintenance`, `cancel_only`,
 * `post_only`, or newer text kept as sent) and the exact `connection_id`.
 */
export class StatusStore extends TypedEmitter<StatusStoreEvents> {
  #current: StatusData | undefined;

  constructor(options: { onListenerError?: ListenerErrorHandler } = {}) {
    super(options.onListenerError);
  }

  apply(message: StatusMessage): void {
    for (const current of message.data) {
      const previous = this.#current;
      this.#current = current;
      this.emit('status-change', { previous, current });
    }
  }

  get current(): StatusData | undefined {
    return this.#current;
  }

  /** The engine state; `undefined` before the first push. Anything but `online` restricts trading. */
  get system(): SystemState | undefined {
    return this.#current?.system;
  }

  /** Exact decimal text of the connection id (it exceeds 2^53). */
  get connectionId(): string | undefined {
    return this.#current?.connection_id;
  }

  /** Forgets the status (on disconnect: the next connection pushes a new one). */
  clear(): void {
    this.#current = undefined;
  }
}
