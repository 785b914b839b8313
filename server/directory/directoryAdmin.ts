import { DirectoryCommandError } from './DirectoryCommandError.js';
import type { DirectoryOperatorActions } from './DirectoryOperatorActions.js';
import { parseGroupId } from './RelayDirectory.js';
import { RelayError } from '../RelayError.js';

/**
 * The directory and facilitator requests of the admin socket (server/ops/AdminSocket.ts): one
 * JSON object in, one answer out. The command line (directoryCli.ts) sends them.
 */
export type DirectoryAdminRequest =
  | { readonly command: 'directory'; readonly action: 'pending' | 'list' }
  | {
      readonly command: 'directory';
      readonly action: 'approve' | 'deny' | 'remove';
      readonly groupId: string;
    }
  | {
      readonly command: 'facilitator';
      readonly action: 'issue';
      readonly address: string;
      readonly roleTitle: string;
      readonly lifetimeMs: number;
    }
  | { readonly command: 'facilitator'; readonly action: 'revoke'; readonly credentialId: string }
  | { readonly command: 'facilitator'; readonly action: 'list' };

export type DirectoryAdminAnswer =
  | ({ readonly ok: true } & Record<string, unknown>)
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Whether a parsed admin request is one of these (the socket's other one is backup). */
export function isDirectoryAdminRequest(value: unknown): value is DirectoryAdminRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.command === 'directory') {
    if (v.action === 'pending' || v.action === 'list') return true;
    return (
      (v.action === 'approve' || v.action === 'deny' || v.action === 'remove') &&
      typeof v.groupId === 'string'
    );
  }
  if (v.command === 'facilitator') {
    if (v.action === 'list') return true;
    if (v.action === 'revoke') return typeof v.credentialId === 'string';
    return (
      v.action === 'issue' &&
      typeof v.address === 'string' &&
      typeof v.roleTitle === 'string' &&
      Number.isSafeInteger(v.lifetimeMs) &&
      (v.lifetimeMs as number) > 0
    );
  }
  return false;
}

export async function answerDirectoryAdmin(
  actions: DirectoryOperatorActions,
  request: DirectoryAdminRequest,
): Promise<DirectoryAdminAnswer> {
  try {
    return { ok: true, ...(await run(actions, request)) };
  } catch (error) {
    if (error instanceof DirectoryCommandError || RelayError.is(error)) {
      return { ok: false, code: error.code, message: error.message };
    }
    if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      // The core's own refusals (CORE_CREDENTIAL_INVALID: a bad role title, …).
      return { ok: false, code: error.code, message: error.message };
    }
    throw error;
  }
}

async function run(
  actions: DirectoryOperatorActions,
  request: DirectoryAdminRequest,
): Promise<Record<string, unknown>> {
  if (request.command === 'facilitator') {
    switch (request.action) {
      case 'issue':
        return actions.issue(request);
      case 'revoke':
        return { version: await actions.revoke(request.credentialId) };
      case 'list':
        return {
          credentials: (await actions.credentials()).map((credential) => ({
            ...credential,
            issuedAt: new Date(credential.issuedAt).toISOString(),
            expiresAt: new Date(credential.expiresAt).toISOString(),
            revokedAt:
              credential.revokedAt === 0 ? null : new Date(credential.revokedAt).toISOString(),
          })),
        };
    }
  }
  switch (request.action) {
    case 'pending':
      return { pending: await actions.pending() };
    case 'list':
      return await actions.list();
    default: {
      const groupId = parseGroupId(request.groupId);
      if (groupId === undefined) {
        throw new DirectoryCommandError('KINDRED_BAD_GROUP_ID', 'a group id is 32 hex digits');
      }
      if (request.action === 'approve') return { version: await actions.approve(groupId) };
      if (request.action === 'remove') return { version: await actions.remove(groupId) };
      await actions.deny(groupId);
      return {};
    }
  }
}
