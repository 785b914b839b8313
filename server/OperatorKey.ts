import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createRelayInviteToken,
  fromBase64Url,
  generateOperatorKeyPair,
  operatorKeyPairFrom,
  toBase64Url,
} from '../core/index.js';
import type { OperatorKeyPair } from '../core/index.js';
import { RelayConfigError } from './RelayError.js';

/** The operator's invite-signing key, in the data folder (base64url of the private key). */
export const OPERATOR_KEY_FILE = 'operator.key';

export type OperatorKey = OperatorKeyPair;

/** Reads the operator key from `dataDir`, creating it (mode 0600) if there is none yet. */
export async function loadOrCreateOperatorKey(dataDir: string): Promise<OperatorKey> {
  const path = join(dataDir, OPERATOR_KEY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (text !== undefined) {
    const bytes = fromBase64Url(text.trim());
    if (bytes === undefined) throw new RelayConfigError(`${OPERATOR_KEY_FILE} is malformed`);
    try {
      return operatorKeyPairFrom(bytes);
    } catch (error) {
      throw new RelayConfigError(`${OPERATOR_KEY_FILE} is malformed`, { cause: error });
    }
  }
  const key = generateOperatorKeyPair();
  try {
    // 'wx': if another process created it meanwhile, fail rather than overwrite its key.
    await writeFile(path, `${toBase64Url(key.privateKey)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (isAlreadyExists(error)) return loadOrCreateOperatorKey(dataDir);
    throw error;
  }
  return key;
}

/** Makes an invite token signed by the operator key in `dataDir` (created if missing). */
export async function issueRelayInviteToken(
  dataDir: string,
  options: { readonly maxUses: number; readonly expiresAt: number },
): Promise<Uint8Array> {
  const { privateKey } = await loadOrCreateOperatorKey(dataDir);
  return createRelayInviteToken(privateKey, options);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}

/** The operator key in `dataDir`, or undefined when there is none (nothing is created). */
export async function readOperatorKey(dataDir: string): Promise<OperatorKey | undefined> {
  try {
    await readFile(join(dataDir, OPERATOR_KEY_FILE), 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return loadOrCreateOperatorKey(dataDir);
}
