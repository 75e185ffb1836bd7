/** Event name → listener argument, e.g. `{ 'book-change': OrderBook }`. */
export type EventMap = { [event: string]: unknown };

export type Listener<T> = (payload: T) => void;

/** Receives errors thrown by listeners; the emitter itself never throws them into its caller. */
export type ListenerErrorHandler = (error: unknown, event: string) => void;

/**
 * A small synchronous event emitter with typed `<noun>-<action>` events. Unlike Node's
 * EventEmitter, a listener that throws cannot break the data layer's invariants halfway
 * through a frame: the error goes to `onListenerError` (by default it is rethrown on a
 * microtask, so it surfaces as an uncaught exception instead of vanishing) and the
 * remaining listeners still run.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Listener<never>[]>();
  readonly #onListenerError: ListenerErrorHandler;

  constructor(onListenerError?: ListenerErrorHandler) {
    this.#onListenerError =
      onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
  }

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): () => void {
    const list = this.#listeners.get(event);
    // Copy on write, so a listener that subscribes or unsubscribes during an emit is safe.
    this.#listeners.set(event, list === undefined ? [listener] : [...list, listener]);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs once. */
  once<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    const index = list.indexOf(listener as Listener<never>);
    if (index < 0) return;
    const next = list.filter((_, i) => i !== index);
    if (next.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, next);
  }

  /** How many listeners an event has (the hot path skips building payloads nobody reads). */
  listenerCount<E extends keyof Events & string>(event: E): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  protected emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    const list = this.#listeners.get(event) as Listener<Events[E]>[] | undefined;
    if (list === undefined) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}
