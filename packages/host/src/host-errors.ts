import { KrakenkitError } from '@krakenkit/plugin-api';

/** Every config problem of every plugin, one `<pluginId>.<path>: <message>` line each. */
export class HostConfigError extends KrakenkitError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(
      'HOST_CONFIG_INVALID',
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((line) => `  ${line}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

export class DuplicatePluginError extends KrakenkitError {
  constructor(readonly pluginId: string) {
    super('DUPLICATE_PLUGIN', `Plugin '${pluginId}' was added twice; add each plugin once.`);
  }
}

export class DuplicateProviderError extends KrakenkitError {
  constructor(
    readonly tokenId: string,
    readonly providers: readonly string[],
  ) {
    super(
      'DUPLICATE_PROVIDER',
      `Token '${tokenId}' takes one provider but is provided by ${providers.map((id) => `'${id}'`).join(' and ')}; remove one of them.`,
    );
  }
}

export interface MissingDependency {
  pluginId: string;
  tokens: readonly { id: string; providedBy: string | undefined }[];
}

export class MissingDependencyError extends KrakenkitError {
  constructor(readonly missing: readonly MissingDependency[]) {
    const lines = missing.map(
      ({ pluginId, tokens }) =>
        `Plugin '${pluginId}' needs ${tokens
          .map(({ id, providedBy }) => (providedBy ? `'${id}' (add ${providedBy})` : `'${id}'`))
          .join(', ')}, which no added plugin provides.`,
    );
    super('MISSING_DEPENDENCY', lines.join('\n'));
  }
}

export class DependencyCycleError extends KrakenkitError {
  /** Plugin ids along the cycle, first repeated at the end. */
  constructor(readonly cycle: readonly string[]) {
    super('DEPENDENCY_CYCLE', `Plugins depend on each other in a cycle: ${cycle.join(' -> ')}.`);
  }
}

export class InvalidFeatureError extends KrakenkitError {
  constructor(position: number, cause?: unknown) {
    super(
      'INVALID_FEATURE',
      `host.add() #${position + 1} is not a plugin: pass a plugin from definePlugin() or import('<package>') whose default export is one.`,
      { cause },
    );
  }
}

export class PluginSetupError extends KrakenkitError {
  constructor(
    readonly pluginId: string,
    cause: unknown,
  ) {
    super('PLUGIN_SETUP_FAILED', `Plugin '${pluginId}' setup failed: ${describe(cause)}`, { cause });
  }
}

export class ProvidesMismatchError extends KrakenkitError {
  constructor(
    readonly pluginId: string,
    readonly missingKeys: readonly string[],
    readonly unexpectedKeys: readonly string[],
  ) {
    const parts = [
      missingKeys.length > 0 ? `missing ${missingKeys.map((key) => `'${key}'`).join(', ')}` : '',
      unexpectedKeys.length > 0 ? `unexpected ${unexpectedKeys.map((key) => `'${key}'`).join(', ')}` : '',
    ].filter(Boolean);
    super(
      'PLUGIN_PROVIDES_MISMATCH',
      `Plugin '${pluginId}' setup must return exactly its 'provides' keys: ${parts.join('; ')}.`,
    );
  }
}

export class PluginStartError extends KrakenkitError {
  constructor(
    readonly pluginId: string,
    cause: unknown,
    /** Errors from stopping the plugins that had already started. */
    readonly rollbackErrors: readonly unknown[] = [],
  ) {
    super(
      'PLUGIN_START_FAILED',
      `Plugin '${pluginId}' failed to start: ${describe(cause)}${
        rollbackErrors.length > 0 ? ` (and ${rollbackErrors.length} stop hook(s) failed during rollback)` : ''
      }`,
      { cause },
    );
  }
}

export class PluginStopError extends KrakenkitError {
  constructor(
    readonly pluginId: string,
    cause: unknown,
  ) {
    super('PLUGIN_STOP_FAILED', `Plugin '${pluginId}' failed to stop: ${describe(cause)}`, { cause });
  }
}

export class HookTimeoutError extends KrakenkitError {
  constructor(
    readonly pluginId: string,
    readonly phase: 'start' | 'stop',
    readonly timeoutMs: number,
  ) {
    super(
      'HOOK_TIMEOUT',
      `Plugin '${pluginId}' ${phase} hook did not finish within ${timeoutMs} ms; raise ${phase}TimeoutMs or fix the hook.`,
    );
  }
}

export class HostStateError extends KrakenkitError {
  constructor(message: string) {
    super('HOST_STATE', message);
  }
}

export class UnknownTokenError extends KrakenkitError {
  constructor(readonly tokenId: string) {
    super(
      'UNKNOWN_TOKEN',
      `No plugin provides '${tokenId}'; add the plugin that provides it before start().`,
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
