import type { AnyPlugin } from '@krakenkit/plugin-api';
import { HostConfigError } from './host-errors.js';

/**
 * Parses every plugin's config slice before any setup runs and reports every problem at
 * once. A config key that names no added plugin is a problem too: a typo there would
 * silently fall back to defaults (for core-transport: Kraken's production URLs).
 */
export function parsePluginConfigs(
  plugins: readonly AnyPlugin[],
  config: Readonly<Record<string, unknown>>,
): Map<string, unknown> {
  const parsed = new Map<string, unknown>();
  const issues: string[] = [];
  const pluginIds = new Set(plugins.map((plugin) => plugin.id));
  for (const key of Object.keys(config)) {
    if (!pluginIds.has(key)) {
      issues.push(`${key}: no added plugin has this id (added: ${[...pluginIds].join(', ') || 'none'})`);
    }
  }
  for (const plugin of plugins) {
    const result = plugin.configSchema.safeParse(config[plugin.id] ?? {});
    if (result.success) {
      parsed.set(plugin.id, result.data);
      continue;
    }
    for (const issue of result.error.issues) {
      const path = [plugin.id, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push(`${path}.${key}: unknown key`);
      } else {
        issues.push(`${path}: ${issue.message}`);
      }
    }
  }
  if (issues.length > 0) throw new HostConfigError(issues);
  return parsed;
}
