import 'reflect-metadata';
import type { AnyToken, TokenValue } from '@krakenkit/plugin-api';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';

/**
 * The host's registry: one tsyringe child container per host, keyed by token id, holding
 * the instances plugins return from setup. Nothing is ever registered on the global container.
 */
export class TokenContainer {
  readonly #container: DependencyContainer = rootContainer.createChildContainer();

  provide(token: AnyToken, value: unknown): void {
    this.#container.register(token.id, { useValue: value });
  }

  has(token: AnyToken): boolean {
    return this.#container.isRegistered(token.id, false);
  }

  resolve<TToken extends AnyToken>(token: TToken): TokenValue<TToken> {
    if (token.multiple) {
      return (this.has(token) ? this.#container.resolveAll(token.id) : []) as TokenValue<TToken>;
    }
    return this.#container.resolve(token.id) as TokenValue<TToken>;
  }

  async dispose(): Promise<void> {
    await this.#container.dispose();
  }
}
