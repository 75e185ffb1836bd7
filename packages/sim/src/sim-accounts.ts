import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const decimalText = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'plain decimal text, e.g. "100.5"');

export const simAccountSchema = z
  .object({
    /** Account id, used in logs and the control API. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    /** Public API key, as Kraken shows it. */
    apiKey: z.string().min(16),
    /** Private key in Kraken's base64 format (64 bytes decoded). */
    apiSecret: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
    tier: z.enum(['starter', 'intermediate', 'pro']).default('intermediate'),
    /** Tolerated out-of-order nonce distance (Kraken's per-key "nonce window"); 0 = strict. */
    nonceWindow: z.number().int().min(0).default(0),
    permissions: z
      .object({
        query: z.boolean().default(true),
        trade: z.boolean().default(true),
        cancel: z.boolean().default(true),
        funds: z.boolean().default(true),
        websocket: z.boolean().default(true),
      })
      .strict()
      .default({ query: true, trade: true, cancel: true, funds: true, websocket: true }),
    /** Starting balances by v2 asset name, e.g. `{ "USD": "100000", "BTC": "2" }`. */
    balances: z.record(z.string(), decimalText).default({}),
  })
  .strict();

export const simAccountsFileSchema = z
  .object({ accounts: z.array(simAccountSchema).min(1) })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    for (const [index, account] of file.accounts.entries()) {
      for (const value of [account.id, account.apiKey]) {
        if (seen.has(value)) {
          context.addIssue({
            code: 'custom',
            path: ['accounts', index],
            message: `duplicate id or apiKey ${value}`,
          });
        }
        seen.add(value);
      }
      if (Buffer.from(account.apiSecret, 'base64').length < 32) {
        context.addIssue({
          code: 'custom',
          path: ['accounts', index, 'apiSecret'],
          message: 'decodes to < 32 bytes',
        });
      }
    }
  });

export type SimAccountSpec = z.output<typeof simAccountSchema>;
export type SimAccountInput = z.input<typeof simAccountSchema>;

/** Path of the sample accounts file shipped with the package. */
export const sampleAccountsPath = fileURLToPath(new URL('../accounts.sample.json', import.meta.url));

/** Validates accounts given in code or read from a file; errors name the offending path. */
export function parseAccounts(input: unknown): SimAccountSpec[] {
  const result = simAccountsFileSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid sim accounts:\n${lines.join('\n')}`);
  }
  return result.data.accounts;
}

export function loadAccountsFile(path: string): SimAccountSpec[] {
  return parseAccounts(JSON.parse(readFileSync(path, 'utf8')));
}
