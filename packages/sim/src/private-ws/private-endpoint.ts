import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { CreatePrivateEndpoint, SimEngine } from '../sim-modules.js';
import type { SimTokenStore } from '../sim-types.js';
import type { ClientRequest, SessionHandler, SimSession } from '../ws/sim-session.js';
import { BalancesChannel, balancesFields } from './private-balances.js';
import { ExecutionsChannel, executionsFields } from './private-executions.js';
import { PrivateOutbox } from './private-outbox.js';
import { ParamError, Params } from './private-params.js';
import { type TradingContext, tradingHandlers } from './private-trading.js';

/**
 * The private WebSocket v2 endpoint (`wss://ws-auth.kraken.com/v2`): every request carries
 * `params.token` (resolved per connection; `ESession:Invalid session` otherwise), the
 * `executions` and `balances` channels, and the trading methods. A command's response is
 * sent before the execution and balance messages it caused (see {@link PrivateOutbox}).
 */
export const createPrivateEndpoint: CreatePrivateEndpoint = (context, engine, tokens) =>
  new PrivateEndpoint(context, engine, tokens);

class PrivateEndpoint implements SessionHandler {
  readonly #outbox: PrivateOutbox;
  readonly #executions: ExecutionsChannel;
  readonly #balances: BalancesChannel;
  readonly #trading: TradingContext;

  constructor(
    private readonly context: SimContext,
    private readonly engine: SimEngine,
    private readonly tokens: SimTokenStore,
  ) {
    this.#outbox = new PrivateOutbox((error) => context.reportError(error));
    this.#executions = new ExecutionsChannel(context, engine, this.#outbox);
    this.#balances = new BalancesChannel(context, engine, this.#outbox);
    this.#trading = { context, engine, outbox: this.#outbox };
  }

  onRequest(session: SimSession, request: ClientRequest): void {
    const { stats } = this.context;
    const trading = tradingHandlers[request.method];
    const subscription = request.method === 'subscribe' || request.method === 'unsubscribe';
    if (!trading && !subscription) {
      stats.count('private.unknown_methods');
      session.respond(request, { error: krakenErrors.unsupportedMethod(request.method) });
      return;
    }
    const token = request.params?.token;
    const resolved =
      typeof token === 'string'
        ? this.tokens.resolve(token, session.connectionId)
        : { ok: false as const, error: krakenErrors.invalidSession };
    if (!resolved.ok || !this.engine.hasAccount(resolved.accountId)) {
      stats.count('private.invalid_tokens');
      session.respond(request, { error: resolved.ok ? krakenErrors.invalidSession : resolved.error });
      return;
    }
    session.accountId = resolved.accountId;
    try {
      if (trading) trading(this.#trading, session, request, resolved.accountId);
      else if (request.method === 'subscribe') this.#subscribe(session, request, resolved.accountId);
      else this.#unsubscribe(session, request);
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
      stats.count('private.invalid_params');
      session.respond(request, { error: error.kraken });
    }
  }

  onClose(session: SimSession): void {
    this.#executions.unsubscribe(session);
    this.#balances.unsubscribe(session);
    this.tokens.releaseConnection(session.connectionId);
  }

  #channelOf(request: ClientRequest): 'executions' | 'balances' {
    const channel = request.params?.channel;
    if (channel !== 'executions' && channel !== 'balances')
      throw new ParamError(krakenErrors.subscriptionNameInvalid);
    return channel;
  }

  #subscribe(session: SimSession, request: ClientRequest, accountId: string): void {
    const channel = this.#channelOf(request);
    const target = channel === 'executions' ? this.#executions : this.#balances;
    const params = new Params(request.params, channel === 'executions' ? executionsFields : balancesFields);
    if (target.isSubscribed(session)) {
      session.respond(request, { error: krakenErrors.alreadySubscribed });
      return;
    }
    const { result, sendSnapshot } = target.subscribe(session, accountId, params);
    session.subscriptionCount += 1;
    session.respond(request, { result });
    sendSnapshot();
  }

  #unsubscribe(session: SimSession, request: ClientRequest): void {
    const channel = this.#channelOf(request);
    new Params(request.params, ['channel', 'token']);
    const target = channel === 'executions' ? this.#executions : this.#balances;
    if (!target.unsubscribe(session)) {
      session.respond(request, { error: krakenErrors.subscriptionNotFound });
      return;
    }
    session.subscriptionCount -= 1;
    session.respond(request, { result: { channel } });
  }
}
