import { z } from 'zod';
import type { EventDefinition } from './common.ts';
import { Metadata } from './common.ts';
import { orgEvents } from './org.ts';
import { storyEvents } from './stories.ts';
import { circulationEvents } from './circulation.ts';
import { authEvents } from './auth.ts';
import { extraEvents } from './extra.ts';
import { reviewEvents } from './review.ts';
import { sealEvents } from './seals.ts';
import { mailEvents } from './mail.ts';

export const allDefinitions = [...orgEvents, ...storyEvents, ...circulationEvents, ...authEvents, ...extraEvents, ...reviewEvents, ...sealEvents, ...mailEvents] as const;

type Defs = (typeof allDefinitions)[number];
/** Every Hallway event as a discriminated union on `type`. */
export type HallwayEvent = Defs extends infer D
  ? D extends EventDefinition<infer T, infer S>
    ? { type: T; data: z.infer<S> }
    : never
  : never;
export type EventType = HallwayEvent['type'];
export type EventOf<T extends EventType> = Extract<HallwayEvent, { type: T }>;
export type DataOf<T extends EventType> = EventOf<T>['data'];

const byType = new Map<string, EventDefinition<string, z.ZodType>>(
  allDefinitions.map((d) => [d.type, d as unknown as EventDefinition<string, z.ZodType>]),
);

/** A type's definition (the importer reads its schema's keys), undefined for an unknown type. */
export function definitionOf(type: string): EventDefinition<string, z.ZodType> | undefined {
  return byType.get(type);
}

export function currentVersion(type: string): number {
  return byType.get(type)?.version ?? 1;
}

/** Lifts `data` written at version `from` to the type's current version. */
export function upcast(type: string, data: unknown, from = 1): unknown {
  const def = byType.get(type);
  if (!def) return data;
  let v = from;
  let out = data;
  while (v < def.version) {
    const up = def.upcasters?.[v];
    if (!up) throw new Error(`${type}: no upcaster from version ${v} to ${v + 1}`);
    out = up(out);
    v += 1;
  }
  return out;
}

export type ParseResult =
  | { ok: true; event: HallwayEvent; stream: string }
  | { ok: false; error: string; issues: { path: string; message: string }[] };

/** Validates one event exactly as the routes do (used by import and by every command). */
export function parseEvent(type: unknown, data: unknown, version = 1): ParseResult {
  if (typeof type !== 'string' || !byType.has(type)) {
    return { ok: false, error: `unknown event type ${JSON.stringify(type)}`, issues: [{ path: 'type', message: 'unknown event type' }] };
  }
  const def = byType.get(type)!;
  let lifted: unknown;
  try {
    lifted = upcast(type, data, version);
  } catch (e) {
    return { ok: false, error: (e as Error).message, issues: [{ path: 'data', message: (e as Error).message }] };
  }
  const r = def.schema.safeParse(lifted);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || 'data', message: i.message }));
    return { ok: false, error: `${type}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues };
  }
  const event = { type, data: r.data } as HallwayEvent;
  return { ok: true, event, stream: def.stream(r.data) };
}

export function parseMetadata(metadata: unknown): { ok: true; metadata: Metadata } | { ok: false; error: string } {
  const r = Metadata.safeParse(metadata);
  if (!r.success) return { ok: false, error: `metadata: ${r.error.issues.map((i) => `${i.path.join('.') || 'metadata'} ${i.message}`).join('; ')}` };
  return { ok: true, metadata: r.data };
}
