import { z } from 'zod';

/** Ids from an HR system (`emp-1042`) import as they are; ids Hallway makes are UUIDs. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "-" or "_"');

/** When the leader's behaviour happened, as precisely as the teller knows it. */
export const OccurredOn = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((s) => s.length < 10 || !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const IsoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time' });

/** Every recorded event carries when it was recorded and who did it. */
export const Metadata = z
  .object({
    at: IsoInstant,
    actor: z.string().optional(),
    /** schema version of `data`; absent means 1 */
    v: z.number().int().positive().optional(),
  })
  .passthrough();
export type Metadata = z.infer<typeof Metadata>;

/** Describes one event type: its schema, current version and how to lift older shapes. */
export interface EventDefinition<T extends string, S extends z.ZodType> {
  type: T;
  version: number;
  schema: S;
  /** stream the event belongs to, derived from its data */
  stream: (data: z.infer<S>) => string;
  /** upcasters[v] lifts data of version v to version v + 1 */
  upcasters?: Record<number, (data: unknown) => unknown>;
}

export function defineEvent<T extends string, S extends z.ZodType>(def: EventDefinition<T, S>): EventDefinition<T, S> {
  return def;
}
