/**
 * `hallway verify`'s walk (docs/trust.md "hallway verify"): fed the log in order, it recomputes
 * the chain, checks the structure (store positions increasing, each stream's revisions 0, 1, 2, …
 * without gaps, ids unique) and every seal (its signature, and its chainHash against the
 * recomputed link at its position). Pure: the CLI feeds it pages from the store.
 */
import type { KeyObject } from 'node:crypto';
import { LogSealed } from '../../events/seals.ts';
import type { RecordedEvent } from '../store/port.ts';
import { GENESIS, nextLink } from './link.ts';
import { checkSealSignature } from './seal.ts';
import type { SealData } from './seal.ts';

export type ProblemKind = 'removed' | 'reordered' | 'duplicate-id' | 'changed' | 'forged-seal' | 'wrong-seal' | 'malformed-seal';

export interface Problem {
  kind: ProblemKind;
  /** the log position (ordinal) the problem is named at: where the log and its seals first disagree */
  position: number;
  message: string;
}

export interface VerifyReport {
  events: number;
  seals: number;
  /** the highest position a good seal covers, 0 when none */
  lastSealed: number;
  /** events after it that no seal covers yet */
  unsealed: number;
  /** the chain link at the last event, hex */
  head: string;
  problems: Problem[];
  /** things worth saying that are not tampering (EventStoreDB's duplicate ids) */
  notes: string[];
}

interface SeenSeal {
  seal: SealData;
  /** the seal event's own position */
  at: number;
  signed: boolean;
}

/** Links are kept for every position (32 bytes each), because a seal may come long after its position. */
class LinkBook {
  private readonly chunks: Buffer[] = [];
  private static readonly PER_CHUNK = 65_536;
  set(position: number, link: Buffer): void {
    const i = position - 1;
    const c = Math.floor(i / LinkBook.PER_CHUNK);
    while (this.chunks.length <= c) this.chunks.push(Buffer.alloc(32 * LinkBook.PER_CHUNK));
    link.copy(this.chunks[c]!, (i % LinkBook.PER_CHUNK) * 32);
  }
  get(position: number): Buffer | undefined {
    if (position === 0) return GENESIS;
    const i = position - 1;
    const c = this.chunks[Math.floor(i / LinkBook.PER_CHUNK)];
    return c ? c.subarray((i % LinkBook.PER_CHUNK) * 32, (i % LinkBook.PER_CHUNK) * 32 + 32) : undefined;
  }
}

export interface VerifierOptions {
  /** the embedded store numbers events 1, 2, 3 … with no gap: a gap is a removed event */
  contiguousPositions: boolean;
  /** EventStoreDB may store an id twice on a retried `any` append: a note there, a problem elsewhere */
  idsUnique: boolean;
  publicKeys: ReadonlyMap<string, KeyObject>;
}

export class LogVerifier {
  private ordinal = 0;
  private link: Buffer = GENESIS;
  private lastStorePosition = 0;
  private readonly links = new LinkBook();
  /** stream -> the next revision expected */
  private readonly next = new Map<string, number>();
  /** stream -> revisions found missing, with the position the gap was seen at */
  private readonly gaps = new Map<string, { from: number; to: number; problem: Problem }>();
  private readonly ids = new Map<string, number>();
  private readonly seals: SeenSeal[] = [];
  private readonly problems: Problem[] = [];
  private duplicateIds = 0;

  constructor(private readonly opts: VerifierOptions) {}

  /** where the store's own numbering differs from the ordinal, both are named */
  private at(ordinal: number, storePosition: number): string {
    return storePosition === ordinal ? `position ${ordinal}` : `position ${ordinal} (the store's position ${storePosition})`;
  }

  push(e: RecordedEvent): void {
    const ordinal = this.ordinal + 1;
    const where = this.at(ordinal, e.position);
    // store positions
    if (e.position <= this.lastStorePosition) {
      this.problems.push({ kind: 'reordered', position: ordinal, message: `${where}: the store's positions go back (${this.lastStorePosition} then ${e.position}): events were reordered` });
    } else if (this.opts.contiguousPositions && e.position > this.lastStorePosition + 1) {
      const from = this.lastStorePosition + 1;
      const to = e.position - 1;
      this.problems.push({ kind: 'removed', position: from, message: `position${from === to ? ` ${from} is` : `s ${from}–${to} are`} missing: ${from === to ? 'an event was' : 'events were'} removed from the log` });
    }
    this.lastStorePosition = Math.max(this.lastStorePosition, e.position);
    // stream revisions
    const expected = this.next.get(e.stream) ?? 0;
    if (e.revision > expected) {
      const problem: Problem = { kind: 'removed', position: ordinal, message: `${where}: stream ${e.stream} jumps from revision ${expected - 1} to ${e.revision}: revision${e.revision - expected > 1 ? `s ${expected}–${e.revision - 1} are` : ` ${expected} is`} missing` };
      this.problems.push(problem);
      this.gaps.set(e.stream, { from: expected, to: e.revision - 1, problem });
      this.next.set(e.stream, e.revision + 1);
    } else if (e.revision < expected) {
      const gap = this.gaps.get(e.stream);
      if (gap && e.revision >= gap.from && e.revision <= gap.to) {
        // the "missing" revision came later: the events were swapped, not removed
        gap.problem.kind = 'reordered';
        gap.problem.message = `${gap.problem.message.split(':')[0]}: stream ${e.stream}'s revision ${e.revision} comes after revision ${expected - 1}, at ${where}: events were reordered`;
        this.gaps.delete(e.stream);
      } else {
        this.problems.push({ kind: 'reordered', position: ordinal, message: `${where}: stream ${e.stream}'s revision ${e.revision} comes after revision ${expected - 1}: events were reordered or repeated` });
      }
    } else {
      this.next.set(e.stream, e.revision + 1);
    }
    // ids
    const first = this.ids.get(e.id);
    if (first !== undefined) {
      if (this.opts.idsUnique) this.problems.push({ kind: 'duplicate-id', position: ordinal, message: `${where}: event id ${e.id} was used already at position ${first}` });
      else this.duplicateIds += 1;
    } else this.ids.set(e.id, ordinal);
    // the chain
    this.link = nextLink(this.link, ordinal, e);
    this.links.set(ordinal, this.link);
    this.ordinal = ordinal;
    if (e.type === 'LogSealed') this.checkSeal(e, ordinal, where);
  }

  private checkSeal(e: RecordedEvent, ordinal: number, where: string): void {
    const parsed = LogSealed.schema.safeParse(e.data);
    if (!parsed.success) {
      this.problems.push({ kind: 'malformed-seal', position: ordinal, message: `${where}: a LogSealed event that is not a seal (${parsed.error.issues[0]?.message ?? 'bad data'})` });
      return;
    }
    const seal = parsed.data;
    if (seal.upToPosition >= ordinal) {
      this.problems.push({ kind: 'malformed-seal', position: ordinal, message: `${where}: a seal for position ${seal.upToPosition} cannot stand at or before it` });
      return;
    }
    // with no key configured the signatures cannot be checked (the CLI says so); the chain hashes still are
    const signature = this.opts.publicKeys.size ? checkSealSignature(seal, this.opts.publicKeys) : ({ ok: true } as const);
    if (!signature.ok) {
      this.problems.push({ kind: 'forged-seal', position: seal.upToPosition, message: `position ${seal.upToPosition}: its seal (at ${where}) is forged: ${signature.why}` });
    }
    if (this.seals.some((s) => s.seal.upToPosition === seal.upToPosition)) {
      this.problems.push({ kind: 'malformed-seal', position: seal.upToPosition, message: `position ${seal.upToPosition}: a second seal for it (at ${where}); there is one seal per position` });
    }
    this.seals.push({ seal, at: ordinal, signed: signature.ok });
  }

  finish(): VerifyReport {
    const problems = [...this.problems];
    // a signed seal whose chainHash is not the recomputed link
    const signed = this.seals.filter((s) => s.signed).sort((a, b) => a.seal.upToPosition - b.seal.upToPosition);
    const matches = signed.map((s) => this.links.get(s.seal.upToPosition)!.toString('hex') === s.seal.chainHash);
    let lastSealed = 0;
    signed.forEach((s, i) => {
      const S = s.seal.upToPosition;
      if (matches[i]) {
        lastSealed = Math.max(lastSealed, S);
        return;
      }
      const previous = signed.slice(0, i).filter((_, j) => matches[j]).pop()?.seal.upToPosition ?? 0;
      if (matches.slice(i + 1).some(Boolean)) {
        // the chain is intact (a later seal matches it): this seal carries a wrong hash
        problems.push({ kind: 'wrong-seal', position: S, message: `position ${S}: its seal (at position ${s.at}) carries a chain hash that is not the log's, although a later seal matches the log: the seal is wrong` });
      } else {
        problems.push({
          kind: 'changed',
          position: S,
          message: `position ${S}: the log no longer matches its seal (at position ${s.at}): an event at positions ${previous + 1}–${S} was changed, removed or reordered`,
        });
      }
    });
    problems.sort((a, b) => a.position - b.position);
    const notes = this.duplicateIds ? [`${this.duplicateIds} event(s) repeat an id (EventStoreDB stores a retried append twice; not tampering)`] : [];
    return {
      events: this.ordinal,
      seals: this.seals.length,
      lastSealed,
      unsealed: this.ordinal - lastSealed,
      head: this.link.toString('hex'),
      problems,
      notes,
    };
  }
}
