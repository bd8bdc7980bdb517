import { employeeDecider } from '../domain/org.ts';
import type { DomainError } from '../domain/decider.ts';
import type { CommandContext, Handled } from '../command.ts';
import { handle } from '../command.ts';
import type { EventStore } from '../store/port.ts';
import type { Views } from '../projections/runtime.ts';
import type { SealedStore } from './sealed-store.ts';

/**
 * Erases a person who has left (docs/trust.md, "Erasing a person"): appends `PersonErased` on their
 * stream at the revision read; the sealing layer forgets their key right after the append; the
 * projections then rewrite their rows with the markers. Refused while they are employed.
 */
export function erasePerson(ctx: CommandContext, actor: string, employeeId: string): Promise<Handled | DomainError> {
  return handle(ctx, `employee-${employeeId}`, employeeDecider, { type: 'ErasePerson', data: { employeeId } }, { actor });
}

const isSealed = (s: EventStore): s is SealedStore => 'keys' in s && 'inner' in s;

/**
 * On start: a `PersonErased` the read models hold (`ids`, from erasedPeople) whose key is
 * still in the key store is finished now (a process that died between the append and the forget,
 * or a key store restored from a backup). Reads finish any the read models have not reached yet.
 */
export async function finishErasures(store: EventStore, ids: readonly string[]): Promise<string[]> {
  const target = isSealed(store) ? store : null;
  if (!target) return [];
  const finished: string[] = [];
  for (const id of ids) {
    if (await target.keys.forgotten(id)) continue;
    await target.keys.forget(id);
    finished.push(id);
  }
  return finished;
}

/** Everyone erased so far, as the read models know it (the audit trail's "erased" rows). */
export function erasedPeople(views: Views): string[] {
  const hasAudit = views.prepare<[], number>("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").pluck().get();
  if (!hasAudit) return [];
  return views.prepare<[], string>("SELECT DISTINCT employee_id FROM audit_log WHERE kind = 'erased' AND employee_id IS NOT NULL").pluck().all();
}
