import type { z } from 'zod';
import type { ApiMethod, ApiResults, AppEvent, CallResult } from '../shared/api.std.js';
import { DesktopErrorCode, apiSchemas } from '../shared/api.std.js';
import { toApiError } from './apiErrors.main.js';
import type { DesktopLogger } from './logger.main.js';

/** A method's args after its schema checked them (trimmed, defaults filled in). */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiSchemas)[M]>;

/** One function per method of the API: what the desktop service implements. */
export type ApiHandlers = {
  readonly [M in ApiMethod]: (args: ApiParsedArgs<M>) => Promise<ApiResults[M]>;
};

/** What a host (Electron's main process, the dev host) needs of the service behind the window. */
export interface ApiService {
  readonly handlers: ApiHandlers;
  /** Returns the function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/**
 * Runs one call from the window. The payload is untrusted (it comes over Electron IPC or the dev
 * host's WebSocket from a page that may be compromised), so it is checked before anything runs:
 * `{ method, args }` with a known method and args that pass that method's schema. Every outcome is
 * a {@link CallResult}; failures carry a code and plain words, never a stack trace.
 */
export async function routeCall(
  handlers: ApiHandlers,
  payload: unknown,
  logger: DesktopLogger,
): Promise<CallResult> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return refuse(DesktopErrorCode.BadRequest, 'A call is an object with a method and its args.');
  }
  const { method, args } = payload as { method?: unknown; args?: unknown };
  if (typeof method !== 'string') {
    return refuse(DesktopErrorCode.BadRequest, 'A call names its method.');
  }
  if (!isApiMethod(method)) {
    return refuse(DesktopErrorCode.UnknownMethod, 'There is no such call.');
  }
  const parsed = apiSchemas[method].safeParse(args);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))]
      .filter((field) => field !== '')
      .slice(0, 5);
    return refuse(
      DesktopErrorCode.InvalidArgs,
      fields.length === 0
        ? 'The call’s arguments are not what it takes.'
        : `These values are not what the call takes: ${fields.join(', ')}.`,
    );
  }
  // The method and its args were checked together above; TypeScript cannot follow that
  // correlation through an indexed access, hence the widening.
  const handler = handlers[method] as (args: unknown) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toApiError(error, logger, method) };
  }
}

export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(apiSchemas, method);
}

function refuse(code: DesktopErrorCode, message: string): CallResult {
  return { ok: false, error: { code, message } };
}
