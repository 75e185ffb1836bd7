import { inspect } from 'node:util';

export interface CanaryHit {
  /** Where it was found (`log lines`, `error 3 stack`, ...). */
  readonly source: string;
  /** Which canary (`api key`, `token 2`, ...). */
  readonly canary: string;
  /** In which form (`raw`, `base64`, `prefix`, ...). */
  readonly form: string;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
const printable = /^[\x20-\x7e]+$/;

/**
 * The forms a secret can leak in (research/reliability.md §4.1): raw, base64-encoded,
 * base64-decoded (the API secret is base64; its decoded text is what a careless decode
 * would print), URL-encoded, and 8-character prefixes and suffixes of the raw and decoded
 * text. Decoded forms count only when they are printable text (random bytes are not).
 */
export function canaryForms(value: string): Array<{ form: string; needle: string }> {
  const forms = [
    { form: 'raw', needle: value },
    { form: 'base64', needle: Buffer.from(value, 'utf8').toString('base64') },
    { form: 'url-encoded', needle: encodeURIComponent(value) },
    { form: 'form-encoded', needle: new URLSearchParams({ v: value }).toString().slice(2) },
    { form: 'prefix', needle: value.slice(0, 8) },
    { form: 'suffix', needle: value.slice(-8) },
  ];
  if (base64Pattern.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('latin1');
    if (decoded.length >= 8 && printable.test(decoded)) {
      forms.push(
        { form: 'base64-decoded', needle: decoded },
        { form: 'decoded prefix', needle: decoded.slice(0, 8) },
        { form: 'decoded suffix', needle: decoded.slice(-8) },
      );
    }
  }
  return forms.filter((entry) => entry.needle.length >= 8);
}

/** Every place a canary appears in any source, in any of its forms. */
export function scanForCanaries(
  sources: ReadonlyMap<string, string>,
  canaries: ReadonlyMap<string, string>,
): CanaryHit[] {
  const hits: CanaryHit[] = [];
  for (const [canary, value] of canaries) {
    for (const { form, needle } of canaryForms(value)) {
      for (const [source, text] of sources) if (text.includes(needle)) hits.push({ source, canary, form });
    }
  }
  return hits;
}

/** Everything an error can show: message, stack, own properties, inspect output, the cause chain. */
export function errorTexts(error: unknown, label: string): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const where = `${label}${depth === 0 ? '' : ` cause ${depth}`}`;
    if (current instanceof Error) {
      texts.push([`${where} message`, current.message], [`${where} stack`, current.stack ?? '']);
      const own = Object.fromEntries(
        Object.getOwnPropertyNames(current).map((name) => [
          name,
          (current as unknown as Record<string, unknown>)[name],
        ]),
      );
      texts.push([`${where} own properties`, inspect(own, { depth: 6, showHidden: true })]);
      if (current instanceof AggregateError) {
        current.errors.forEach((inner, index) => {
          texts.push(...errorTexts(inner, `${where} aggregate ${index}`));
        });
      }
    }
    texts.push([`${where} inspect`, inspect(current, { depth: Number.POSITIVE_INFINITY, showHidden: true })]);
    try {
      texts.push([`${where} JSON`, JSON.stringify(current) ?? '']);
    } catch {
      // circular: inspect above covered it
    }
    texts.push([`${where} String`, String(current)]);
    current = current instanceof Error ? current.cause : undefined;
  }
  return texts;
}
