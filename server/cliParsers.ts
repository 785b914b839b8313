import { InvalidArgumentError } from 'commander';

/** Parsers for command-line values; each throws InvalidArgumentError with a one-line reason. */

export function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('must be a non-negative integer');
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError('is too large');
  return value;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** "500ms", "30s", "5m", "24h", "30d"; a bare number is milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  if (match === null) {
    throw new InvalidArgumentError('must be a duration such as 500ms, 30s, 5m, 24h or 30d');
  }
  const value = Number(match[1]) * (DURATION_UNITS[match[2] ?? 'ms'] ?? 1);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError('is too large');
  return value;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** "262144", "256KiB", "8MiB". */
export function parseBytes(text: string): number {
  const match = /^(\d+)(KiB|MiB|GiB)?$/.exec(text);
  if (match === null)
    throw new InvalidArgumentError('must be a size such as 262144, 256KiB or 8MiB');
  const value = Number(match[1]) * (BYTE_UNITS[match[2] ?? ''] ?? 1);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError('is too large');
  return value;
}

export function parsePort(text: string): number {
  const value = parseCount(text);
  if (value > 65_535) throw new InvalidArgumentError('must be from 0 to 65535');
  return value;
}

export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    const found = choices.find((choice) => choice === text);
    if (found === undefined) throw new InvalidArgumentError(`must be one of ${choices.join(', ')}`);
    return found;
  };
}

/** A Redis URL for --store: redis:// or rediss:// (TLS). */
export function parseRedisUrl(text: string): string {
  if (!/^rediss?:\/\/\S+$/.test(text)) {
    throw new InvalidArgumentError('must be a redis:// or rediss:// URL');
  }
  return text;
}

/** Seed nodes for --store-cluster: host:port,host:port (IPv6 in brackets). */
export function parseHostPortList(text: string): string[] {
  const nodes = text.split(',').map((node) => node.trim());
  for (const node of nodes) {
    const match = /^(?:\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(node);
    const port = Number(match?.[1]);
    if (match === null || port < 1 || port > 65_535) {
      throw new InvalidArgumentError('must be host:port seeds separated by commas');
    }
  }
  return nodes;
}

/** At most `max`: a count that only makes sense small. */
export function parseSmallCount(max: number): (text: string) => number {
  return (text) => {
    const value = parseCount(text);
    if (value > max) throw new InvalidArgumentError(`must be from 0 to ${max}`);
    return value;
  };
}
