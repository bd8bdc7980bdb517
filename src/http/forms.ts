import { zValidator } from '@hono/zod-validator';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './env.ts';

/** What was posted, as strings (the first value of each name), to put back into a re-rendered form. */
export type FormValues = Record<string, string>;
/** Messages per form field; a message that belongs to no field is under `form`. */
export type FieldMessages = Record<string, string[]>;

export function formStrings(form: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(form)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** A text field: a missing one counts as empty, a repeated one as its first value (what a browser would send). */
export const text = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v) ?? '', schema);

/** zod issues keyed by the form field they belong to (`themes.2` belongs to `themes`). */
export function fieldMessages(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldMessages {
  const out: FieldMessages = {};
  for (const i of issues) (out[i.path.length ? String(i.path[0]) : 'form'] ??= []).push(i.message);
  return out;
}

/**
 * Validates a posted form with its zod schema (@hono/zod-validator). When it does not pass, the
 * hook answers with `invalid`: the same form again, the messages beside the fields, status 422
 * (htmx swaps it in; without JavaScript it is the whole page). The route reads `c.req.valid('form')`.
 */
export const validForm = <S extends z.ZodType>(
  schema: S,
  invalid: (c: Context<AppEnv>, errors: FieldMessages, values: FormValues) => Response | Promise<Response>,
) =>
  zValidator('form', schema, (result, c) => {
    if (result.success) return;
    // the validator's hook is typed for any Env; it runs inside Hallway's app, whose Env is AppEnv
    const app = c as unknown as Context<AppEnv>;
    app.status(422);
    return invalid(app, fieldMessages(result.error.issues), formStrings(result.data as Record<string, unknown>));
  });
