import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * The client's vault records are small JSON objects (bytes as base64url). The vault authenticates
 * every record, so parsing guards against our own bugs and old formats, not against an attacker;
 * anything unexpected is CORE_VAULT_CORRUPT.
 */
export function encodeRecord(value: object): Uint8Array {
  return utf8(
    JSON.stringify(value, (_key, field: unknown) =>
      field instanceof Uint8Array ? toBase64Url(field) : field,
    ),
  );
}

/** Reads fields of a decoded record, each one checked. */
export class RecordReader {
  readonly #fields: Record<string, unknown>;
  readonly #what: string;

  private constructor(fields: Record<string, unknown>, what: string) {
    this.#fields = fields;
    this.#what = what;
  }

  static decode(bytes: Uint8Array, what: string): RecordReader {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromUtf8(bytes));
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, `${what} record unreadable`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, `${what} record malformed`);
    }
    return new RecordReader(parsed as Record<string, unknown>, what);
  }

  string(name: string): string {
    const value = this.#fields[name];
    if (typeof value !== 'string') throw this.#corrupt(name);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.#fields[name] === undefined ? undefined : this.string(name);
  }

  number(name: string): number {
    const value = this.#fields[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.#corrupt(name);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    return this.#fields[name] === undefined ? undefined : this.number(name);
  }

  boolean(name: string): boolean {
    const value = this.#fields[name];
    if (typeof value !== 'boolean') throw this.#corrupt(name);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.#fields[name] === undefined ? undefined : this.boolean(name);
  }

  bytes(name: string): Uint8Array {
    const value = this.#fields[name];
    const bytes = typeof value === 'string' ? fromBase64Url(value) : undefined;
    if (bytes === undefined) throw this.#corrupt(name);
    return bytes;
  }

  optionalBytes(name: string): Uint8Array | undefined {
    return this.#fields[name] === undefined ? undefined : this.bytes(name);
  }

  strings(name: string): string[] {
    const value = this.#fields[name];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw this.#corrupt(name);
    }
    return value;
  }

  /** An object whose values are all strings (a map by string key), or undefined when absent. */
  optionalStringRecord(name: string): Record<string, string> | undefined {
    const value = this.#fields[name];
    if (value === undefined) return undefined;
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      !Object.values(value).every((item) => typeof item === 'string')
    ) {
      throw this.#corrupt(name);
    }
    // Spreading defines own properties, so a key such as `__proto__` stays a plain key.
    return { ...(value as Record<string, string>) };
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name);
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) throw this.#corrupt(name);
    return match;
  }

  /** An array of records, each read with `read`. */
  list<T>(name: string, read: (item: RecordReader) => T): T[] {
    const value = this.#fields[name];
    if (!Array.isArray(value)) throw this.#corrupt(name);
    return value.map((item: unknown) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw this.#corrupt(name);
      }
      return read(new RecordReader(item as Record<string, unknown>, this.#what));
    });
  }

  /** A record inside this one. */
  nested(name: string): RecordReader {
    const value = this.#fields[name];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.#corrupt(name);
    }
    return new RecordReader(value as Record<string, unknown>, this.#what);
  }

  /** A record inside this one, or undefined when absent. */
  optionalNested(name: string): RecordReader | undefined {
    return this.#fields[name] === undefined ? undefined : this.nested(name);
  }

  /** An array of records, each read with `read`, or undefined when absent. */
  optionalList<T>(name: string, read: (item: RecordReader) => T): T[] | undefined {
    return this.#fields[name] === undefined ? undefined : this.list(name, read);
  }

  #corrupt(name: string): CoreError {
    return new CoreError(
      CoreErrorCode.VaultCorrupt,
      `${this.#what} record field ${name} malformed`,
    );
  }
}
