import { emptyParams, isParamMap, type ParamMap, type ParamValue } from './rest-params.js';

/** More parameters than any Kraken call takes (a 15-order batch in form encoding is ~250). */
const maxFields = 1000;
/** `orders[0][close][price]` is as deep as Kraken goes. */
const maxDepth = 4;
/** List indices above this are refused (a batch has ≤ 15 orders, a cancel batch ≤ 50 ids). */
const maxIndex = 1000;

/** Parsed form parameters, or why the body is malformed. */
export type FormResult = { ok: true; params: ParamMap } | { ok: false; reason: string };

/**
 * Decodes `application/x-www-form-urlencoded` text the way real servers do: `+` is a space
 * (so a literal `+` must arrive as `%2B`, PROTOCOL §2.2), `%XX` escapes are UTF-8, and a
 * malformed escape makes the whole body malformed. Keys use the bracket notation common
 * clients produce (`close[price]=`, `orders[0][type]=`, `orders[]=`); a repeated plain key
 * becomes a list, which single-valued parameters then refuse.
 */
export function parseForm(text: string): FormResult {
  const root = emptyParams();
  const fields = text === '' ? [] : text.split('&');
  if (fields.length > maxFields) return { ok: false, reason: 'too many fields' };
  for (const field of fields) {
    if (field === '') continue;
    const equals = field.indexOf('=');
    const rawKey = equals < 0 ? field : field.slice(0, equals);
    const rawValue = equals < 0 ? '' : field.slice(equals + 1);
    const key = decodeComponent(rawKey);
    const value = decodeComponent(rawValue);
    if (key === undefined || value === undefined) return { ok: false, reason: 'malformed escape' };
    if (key === '') continue;
    const path = splitKey(key);
    if (!path) return { ok: false, reason: `malformed key ${key}` };
    if (!assign(root, path, value)) return { ok: false, reason: `conflicting key ${key}` };
  }
  const params = emptyParams();
  for (const key of Object.keys(root)) {
    const value = key === pushKey ? undefined : toLists(root[key] as ParamValue);
    if (value === undefined) return { ok: false, reason: `malformed key ${key}` };
    params[key] = value;
  }
  return { ok: true, params };
}

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** `a[b][0]` → `['a', 'b', '0']`, `a[]` → `['a', '']`; a key without brackets is itself. */
function splitKey(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const path = [key.slice(0, open)];
  const rest = key.slice(open);
  const segment = /\[([^[\]]*)\]/gy;
  let consumed = 0;
  for (let match = segment.exec(rest); match; match = segment.exec(rest)) {
    path.push(match[1] ?? '');
    consumed = segment.lastIndex;
  }
  if (consumed !== rest.length) return [key];
  return path.length - 1 > maxDepth ? undefined : path;
}

/** Sentinel key for `a[]=` pushes, replaced by indices in {@link toLists}. */
const pushKey = '\u0000push';

function assign(root: ParamMap, path: readonly string[], value: string): boolean {
  let node: ParamMap = root;
  for (let i = 0; i < path.length; i++) {
    const name = path[i] ?? '';
    const last = i === path.length - 1;
    if (name === '') {
      // `a[]=x`: append; `a[][b]` (a push followed by more path) is not supported.
      if (!last) return false;
      const pushes = node[pushKey];
      if (pushes !== undefined && !Array.isArray(pushes)) return false;
      node[pushKey] = [...(pushes ?? []), value];
      return true;
    }
    const existing = Object.hasOwn(node, name) ? node[name] : undefined;
    if (last) {
      if (existing === undefined) node[name] = value;
      else if (typeof existing === 'string') node[name] = [existing, value];
      else if (Array.isArray(existing)) existing.push(value);
      else return false;
      return true;
    }
    if (existing === undefined) {
      const child = emptyParams();
      node[name] = child;
      node = child;
    } else if (isParamMap(existing)) {
      node = existing;
    } else {
      return false;
    }
  }
  return true;
}

/** Maps whose keys are all list indices (or pushes) become lists, in index order. */
function toLists(value: ParamValue): ParamValue | undefined {
  if (!isParamMap(value)) return value;
  const pushes = Object.hasOwn(value, pushKey) ? (value[pushKey] as ParamValue[]) : [];
  const keys = Object.keys(value).filter((key) => key !== pushKey);
  const children: [string, ParamValue][] = [];
  for (const key of keys) {
    const child = toLists(value[key] as ParamValue);
    if (child === undefined) return undefined;
    children.push([key, child]);
  }
  const isIndex = (key: string) => /^\d{1,4}$/.test(key) && Number(key) <= maxIndex;
  if (children.length > 0 && children.every(([key]) => isIndex(key))) {
    const ordered = children.sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => child);
    return [...ordered, ...pushes];
  }
  // `a[]=x` next to `a[name]=y` has no sensible shape.
  if (pushes.length > 0 && children.length > 0) return undefined;
  if (pushes.length > 0) return pushes;
  const map = emptyParams();
  for (const [key, child] of children) map[key] = child;
  return map;
}
