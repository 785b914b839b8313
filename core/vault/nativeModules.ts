import { createRequire } from 'node:module';

/**
 * Loads an optional native package by name, or gives undefined when it is missing or its binary
 * does not load on this platform. Injected in tests, so a fallback can be shown without removing
 * a package from disk.
 */
export type NativeLoader = (name: string) => unknown;

const requireFromCore = createRequire(import.meta.url);

/** The installed package, resolved from core like any dependency; undefined when it cannot load. */
export const loadInstalledNative: NativeLoader = (name) => {
  try {
    return requireFromCore(name) as unknown;
  } catch {
    return undefined;
  }
};

/** True when `value` is an object carrying every named function (a module of the shape we use). */
export function hasFunctions(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}
