import { type AnyPlugin, type AnyToken, isOptionalDependency } from '@krakenkit/plugin-api';
import {
  DependencyCycleError,
  DuplicatePluginError,
  DuplicateProviderError,
  type MissingDependency,
  MissingDependencyError,
} from './host-errors.js';

interface Edge {
  from: AnyPlugin;
  to: AnyPlugin;
}

/**
 * Checks the plugin set (duplicate ids, duplicate providers, missing providers, cycles) and
 * returns the plugins in start order: dependencies first, ties in the order they were added.
 */
export function planStartOrder(
  plugins: readonly AnyPlugin[],
  hostTokenIds: ReadonlySet<string>,
): AnyPlugin[] {
  const seenIds = new Set<string>();
  for (const plugin of plugins) {
    if (seenIds.has(plugin.id)) throw new DuplicatePluginError(plugin.id);
    seenIds.add(plugin.id);
  }

  const providers = new Map<string, AnyPlugin[]>();
  for (const plugin of plugins) {
    for (const token of Object.values(plugin.provides)) {
      if (hostTokenIds.has(token.id)) throw new DuplicateProviderError(token.id, ['host', plugin.id]);
      const existing = providers.get(token.id) ?? [];
      if (!token.multiple && existing.length > 0) {
        throw new DuplicateProviderError(token.id, [...existing.map((provider) => provider.id), plugin.id]);
      }
      providers.set(token.id, [...existing, plugin]);
    }
  }

  const missing: MissingDependency[] = [];
  const edges: Edge[] = [];
  for (const plugin of plugins) {
    const absent: AnyToken[] = [];
    for (const dependency of Object.values(plugin.deps)) {
      const required = !isOptionalDependency(dependency);
      const token = isOptionalDependency(dependency) ? dependency.token : dependency;
      const tokenProviders = providers.get(token.id) ?? [];
      if (tokenProviders.length === 0 && !hostTokenIds.has(token.id) && required && !token.multiple) {
        absent.push(token);
      }
      for (const provider of tokenProviders) edges.push({ from: plugin, to: provider });
    }
    if (absent.length > 0) {
      missing.push({
        pluginId: plugin.id,
        tokens: absent.map((token) => ({ id: token.id, providedBy: token.providedBy })),
      });
    }
  }
  if (missing.length > 0) throw new MissingDependencyError(missing);

  return topologicalOrder(plugins, edges);
}

function topologicalOrder(plugins: readonly AnyPlugin[], edges: readonly Edge[]): AnyPlugin[] {
  const dependencies = new Map<AnyPlugin, Set<AnyPlugin>>(plugins.map((plugin) => [plugin, new Set()]));
  for (const { from, to } of edges) dependencies.get(from)?.add(to);

  const order: AnyPlugin[] = [];
  const placed = new Set<AnyPlugin>();
  while (order.length < plugins.length) {
    // The earliest-added plugin whose dependencies are all placed; keeps runs deterministic.
    const next = plugins.find(
      (plugin) =>
        !placed.has(plugin) && [...(dependencies.get(plugin) ?? [])].every((dep) => placed.has(dep)),
    );
    if (next === undefined) {
      throw new DependencyCycleError(
        findCycle(
          plugins.filter((plugin) => !placed.has(plugin)),
          dependencies,
        ),
      );
    }
    order.push(next);
    placed.add(next);
  }
  return order;
}

function findCycle(remaining: readonly AnyPlugin[], dependencies: Map<AnyPlugin, Set<AnyPlugin>>): string[] {
  const inRemaining = new Set(remaining);
  const path: AnyPlugin[] = [];
  const onPath = new Set<AnyPlugin>();
  const done = new Set<AnyPlugin>();
  const visit = (plugin: AnyPlugin): string[] | undefined => {
    path.push(plugin);
    onPath.add(plugin);
    for (const dependency of dependencies.get(plugin) ?? []) {
      if (!inRemaining.has(dependency) || done.has(dependency)) continue;
      if (onPath.has(dependency)) {
        return [...path.slice(path.indexOf(dependency)), dependency].map((entry) => entry.id);
      }
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(plugin);
    done.add(plugin);
    return undefined;
  };
  for (const plugin of remaining) {
    const cycle = visit(plugin);
    if (cycle) return cycle;
  }
  return remaining.map((plugin) => plugin.id);
}
