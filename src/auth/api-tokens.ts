import type { AppContext, CurrentUser } from '../http/env.ts';

/** Resolves `Authorization: Bearer <token>` to a leader (filled in by the circulation work). */
export async function resolveApiToken(_ctx: AppContext, _bearer: string): Promise<CurrentUser | null> {
  return null;
}
