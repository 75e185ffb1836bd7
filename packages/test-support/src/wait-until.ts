/** Resolves when `condition` holds, checking on every event-loop turn (no fixed sleeps). */
export async function waitUntil(
  condition: () => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'the condition'}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
