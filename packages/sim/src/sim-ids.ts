import type { Random } from '@krakenkit/plugin-api';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Kraken-style ids (`OABCDE-FGHIJ-KLMNOP`: 6-5-6 characters), deterministic for a seed:
 * `O` orders, `T` trades and amends, `L` ledger entries.
 */
export function createIdGenerator(random: Random, prefix: 'O' | 'T' | 'L'): () => string {
  const issued = new Set<string>();
  const part = (length: number) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    return out;
  };
  return () => {
    for (;;) {
      const id = `${prefix}${part(5)}-${part(5)}-${part(6)}`;
      if (!issued.has(id)) {
        issued.add(id);
        return id;
      }
    }
  };
}
