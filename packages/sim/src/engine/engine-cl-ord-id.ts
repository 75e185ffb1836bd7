const longUuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const shortUuid = /^[0-9a-fA-F]{32}$/;
const freeText = /^[\x20-\x7e]{1,18}$/;

/**
 * Kraken's `cl_ord_id` formats (PROTOCOL §3.3): a long UUID (36 characters with dashes),
 * a short UUID (32 hex digits), or free printable ASCII text of at most 18 characters.
 */
export function isValidClOrdId(value: string): boolean {
  return longUuid.test(value) || shortUuid.test(value) || freeText.test(value);
}

/** `userref` / `order_userref` is a signed 32-bit integer. */
export function isValidUserref(value: number): boolean {
  return Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}
