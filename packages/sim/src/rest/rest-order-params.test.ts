import { describe, expect, it } from 'vitest';
import { defaultAssets, defaultPairs, SimPairCatalog } from '../sim-pairs.js';
import type { OrderRequest } from '../sim-types.js';
import { parseForm } from './rest-form.js';
import { parseOrderFields, requirePair } from './rest-order-params.js';
import { Params, RestParamError } from './rest-params.js';
import { parseRestPrice } from './rest-prices.js';

const catalog = new SimPairCatalog(defaultPairs, defaultAssets);
const now = Date.UTC(2026, 0, 5, 10);

function form(text: string): Params {
  const parsed = parseForm(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return new Params(parsed.params);
}

/** The request with Bigs as text, for readable expectations. */
function request(text: string, validate = false): Record<string, unknown> {
  const params = form(text);
  const pair = requirePair(catalog, params);
  const parsed: OrderRequest = parseOrderFields(params, pair, { now, validate, deadline: undefined });
  return JSON.parse(JSON.stringify(parsed));
}

function error(run: () => unknown): string {
  try {
    run();
  } catch (caught) {
    if (caught instanceof RestParamError) return caught.krakenError;
    throw caught;
  }
  throw new Error('no error');
}

describe('AddOrder parameters → OrderRequest', () => {
  it("maps the official vector's order", () => {
    expect(
      request('nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25'),
    ).toEqual({
      symbol: 'BTC/USD',
      side: 'buy',
      orderType: 'limit',
      qty: '1.25',
      limitPrice: { value: '37500', type: 'static' },
      timeInForce: 'gtc',
      postOnly: false,
      reduceOnly: false,
      margin: false,
      stpType: 'cancel_newest',
      validate: false,
    });
  });

  it('accepts every REST pair spelling', () => {
    for (const name of ['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD']) {
      expect(requirePair(catalog, form(`pair=${encodeURIComponent(name)}`)).symbol).toBe('BTC/USD');
    }
    expect(error(() => requirePair(catalog, form('pair=DOGEUSD')))).toBe('EQuery:Unknown asset pair');
    expect(error(() => requirePair(catalog, form('')))).toBe('EGeneral:Invalid arguments:pair');
  });

  it('maps flags, time in force, times, tags, stp, display volume and validate', () => {
    const mapped = request(
      'pair=ETHUSD&type=sell&ordertype=iceberg&volume=3&displayvol=0.5&price=3300&oflags=post,fcib,nompp' +
        '&timeinforce=GTD&starttm=%2B60&expiretm=1767700000&userref=-42&stptype=cancel-both&reduce_only=true',
      true,
    );
    expect(mapped).toMatchObject({
      symbol: 'ETH/USD',
      side: 'sell',
      orderType: 'iceberg',
      qty: '3',
      displayQty: '0.5',
      postOnly: true,
      feePreference: 'base',
      timeInForce: 'gtd',
      effectiveTime: now + 60_000,
      expireTime: 1_767_700_000_000,
      userref: -42,
      stpType: 'cancel_both',
      reduceOnly: true,
      validate: true,
    });
    expect(
      request('pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=1&cl_ord_id=abc&starttm=0'),
    ).toMatchObject({
      clOrdId: 'abc',
    });
    expect(request('pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=1&starttm=0')).not.toHaveProperty(
      'effectiveTime',
    );
  });

  it('sizes viqc market buys in quote currency', () => {
    expect(request('pair=XBTUSD&type=buy&ordertype=market&volume=100&oflags=viqc')).toMatchObject({
      cashQty: '100',
      orderType: 'market',
    });
    expect(request('pair=XBTUSD&type=buy&ordertype=market&volume=100&oflags=viqc')).not.toHaveProperty('qty');
  });

  it('maps trigger orders: price is the trigger, price2 the limit', () => {
    expect(
      request(
        'pair=XBTUSD&type=sell&ordertype=stop-loss-limit&volume=1&price=60000&price2=59900&trigger=index',
      ),
    ).toMatchObject({
      trigger: { reference: 'index', price: '60000', type: 'static' },
      limitPrice: { value: '59900', type: 'static' },
    });
    expect(request('pair=XBTUSD&type=sell&ordertype=trailing-stop&volume=1&price=%2B2.5%25')).toMatchObject({
      trigger: { reference: 'last', price: '2.5', type: 'pct' },
    });
    expect(
      request('pair=XBTUSD&type=sell&ordertype=trailing-stop-limit&volume=1&price=%2B50&price2=-10'),
    ).toMatchObject({
      trigger: { price: '50', type: 'quote' },
      limitPrice: { value: '-10', type: 'quote' },
    });
  });

  it('maps a conditional close on the opposite side', () => {
    expect(
      request(
        'pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=60000' +
          '&close[ordertype]=stop-loss-limit&close[price]=%2358000&close[price2]=57900',
      ).conditional,
    ).toEqual({
      orderType: 'stop-loss-limit',
      // `#` on the close (a sell stop-loss) points down.
      triggerPrice: { value: '-58000', type: 'quote' },
      limitPrice: { value: '57900', type: 'static' },
    });
  });

  it('reads flat close[...] members of JSON bodies, as the OpenAPI spec lists them', () => {
    const params = new Params(
      Object.assign(Object.create(null), {
        pair: 'XBTUSD',
        type: 'sell',
        ordertype: 'limit',
        volume: '1',
        price: '70000',
        'close[ordertype]': 'stop-loss',
        'close[price]': '60000',
      }),
    );
    const parsed = parseOrderFields(params, requirePair(catalog, params), {
      now,
      validate: false,
      deadline: undefined,
    });
    expect(JSON.parse(JSON.stringify(parsed.conditional))).toEqual({
      orderType: 'stop-loss',
      triggerPrice: { value: '60000', type: 'static' },
    });
  });

  it('refuses malformed fields with the field named', () => {
    const base = 'pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=1';
    const cases: [string, string][] = [
      ['pair=XBTUSD&type=hold&ordertype=limit&volume=1&price=1', 'type'],
      ['pair=XBTUSD&type=buy&ordertype=fancy&volume=1&price=1', 'ordertype'],
      ['pair=XBTUSD&type=buy&ordertype=limit&price=1', 'volume'],
      ['pair=XBTUSD&type=buy&ordertype=limit&volume=-1&price=1', 'volume'],
      ['pair=XBTUSD&type=buy&ordertype=limit&volume=1e3&price=1', 'volume'],
      ['pair=XBTUSD&type=buy&ordertype=limit&volume=1', 'price'],
      ['pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=abc', 'price'],
      ['pair=XBTUSD&type=buy&ordertype=limit&volume=1&price=5%25', 'price'],
      ['pair=XBTUSD&type=sell&ordertype=trailing-stop&volume=1&price=50', 'price'],
      ['pair=XBTUSD&type=sell&ordertype=stop-loss-limit&volume=1&price=50', 'price2'],
      [`${base}&oflags=post,fok`, 'oflags'],
      [`${base}&oflags=fcib,fciq`, 'oflags'],
      [`${base}&timeinforce=day`, 'timeinforce'],
      [`${base}&starttm=tomorrow`, 'starttm'],
      [`${base}&userref=2147483648`, 'userref'],
      [`${base}&userref=1&cl_ord_id=x`, 'cl_ord_id'],
      [`${base}&stptype=cancel_newest`, 'stptype'],
      [`${base}&trigger=mark`, 'trigger'],
      [`${base}&validate=maybe`, 'validate'],
      [`${base}&close[ordertype]=market`, 'close[ordertype]'],
      [`${base}&close[ordertype]=limit`, 'close[price]'],
    ];
    for (const [text, field] of cases) {
      expect(
        error(() => {
          const params = form(text);
          parseOrderFields(params, requirePair(catalog, params), {
            now,
            validate: params.boolean('validate'),
            deadline: undefined,
          });
        }),
        text,
      ).toBe(`EGeneral:Invalid arguments:${field}`);
    }
  });
});

describe('parseRestPrice', () => {
  const spec = (
    text: string,
    role: Parameters<typeof parseRestPrice>[2],
    side: 'buy' | 'sell',
    type = 'limit',
  ) => {
    const parsed = parseRestPrice(text, 'price', role, side, type as 'limit');
    return `${parsed.type}:${parsed.value.toFixed()}`;
  };

  it('reads absolute, +, - and % forms', () => {
    expect(spec('37500.5', 'limit', 'buy')).toBe('static:37500.5');
    expect(spec('+100', 'limit', 'buy')).toBe('quote:100');
    expect(spec('-100', 'limit', 'buy')).toBe('quote:-100');
    expect(spec('-1.5%', 'limit', 'buy')).toBe('pct:-1.5');
    // An unencoded `+` arrives as a space: an absolute price, as on Kraken.
    expect(spec(' 100', 'limit', 'buy')).toBe('static:100');
  });

  it('points # by direction and type', () => {
    expect(spec('#10', 'limit', 'buy')).toBe('quote:-10');
    expect(spec('#10', 'limit', 'sell')).toBe('quote:10');
    expect(spec('#1%', 'trigger', 'buy', 'stop-loss')).toBe('pct:1');
    expect(spec('#1%', 'trigger', 'sell', 'stop-loss')).toBe('pct:-1');
    expect(spec('#1', 'trigger', 'buy', 'take-profit')).toBe('quote:-1');
    expect(spec('#1', 'trigger-limit', 'sell', 'take-profit-limit')).toBe('quote:1');
  });
});
