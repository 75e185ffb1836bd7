import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { parseForm } from './rest-form.js';

function parsed(text: string) {
  const result = parseForm(text);
  if (!result.ok) throw new Error(result.reason);
  return JSON.parse(JSON.stringify(result.params));
}

describe('parseForm', () => {
  it('decodes + as a space and %2B as a plus, like real servers', () => {
    expect(parsed('starttm=+60&expiretm=%2B60&a=b+c%20d')).toEqual({
      starttm: ' 60',
      expiretm: '+60',
      a: 'b c d',
    });
  });

  it('decodes UTF-8 escapes, keys without values and empty segments', () => {
    expect(parsed('cl_ord_id=%E2%82%AC%C3%A9&flag&&x=')).toEqual({ cl_ord_id: '€é', flag: '', x: '' });
  });

  it('builds maps and lists from bracket keys', () => {
    expect(parsed('close%5Bordertype%5D=limit&close[price]=70000')).toEqual({
      close: { ordertype: 'limit', price: '70000' },
    });
    expect(parsed('orders[1][type]=sell&orders[0][type]=buy&orders[0][close][price]=1')).toEqual({
      orders: [{ type: 'buy', close: { price: '1' } }, { type: 'sell' }],
    });
    expect(parsed('orders[]=A&orders[]=B')).toEqual({ orders: ['A', 'B'] });
    expect(parsed('a=1&a=2')).toEqual({ a: ['1', '2'] });
  });

  it('keeps odd keys literal and refuses malformed escapes and conflicting shapes', () => {
    expect(parsed('a[b=1&[c]=2&d]=3')).toEqual({ 'a[b': '1', '[c]': '2', 'd]': '3' });
    expect(parseForm('a=%E2%82').ok).toBe(false);
    expect(parseForm('a=%zz').ok).toBe(false);
    expect(parseForm('a=1&a[b]=2').ok).toBe(false);
    expect(parseForm('a[]=1&a[b]=2').ok).toBe(false);
    expect(parseForm('a[b][c][d][e][f]=1').ok).toBe(false);
  });

  it('never lets a key reach Object.prototype', () => {
    const result = parseForm('__proto__[polluted]=1&constructor[prototype][x]=1');
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('property: any map encoded with URLSearchParams parses back to itself', () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((text) => !/[[\]]/.test(text));
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 30 }), { maxKeys: 12 }), (map) => {
        const text = new URLSearchParams(map).toString();
        expect(parsed(text)).toEqual(JSON.parse(JSON.stringify(map)));
      }),
      propertyParams({ seed: 1 }),
    );
  });
});
