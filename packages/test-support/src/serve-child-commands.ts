/** A command a parent process sends to a helper child: `{ id, cmd, ...arguments }`. */
export type ChildCommand = { id: number; cmd: string } & Record<string, unknown>;

/**
 * Runs a helper child process (benchmark clients, test peers) as a command server over IPC:
 * every message is handled, answered with `{ id, result }` or `{ id, error }` (the stack),
 * and the child exits when the parent disconnects.
 */
export function serveChildCommands(handle: (command: ChildCommand) => Promise<unknown>): void {
  process.on('message', (command: ChildCommand) => {
    handle(command).then(
      (result) => process.send?.({ id: command.id, result }),
      (error: unknown) =>
        process.send?.({
          id: command.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
