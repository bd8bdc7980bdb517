/**
 * CSV import of many employees at once: header `employeeId,name,email,departmentId,joinedOn`,
 * validated all or nothing (the first bad line's number and reason; nothing appended).
 *
 * The parser is a strict RFC 4180 one, written here because the format is this one small header:
 * comma-separated, fields optionally in double quotes ("" is a quote inside), CRLF or LF line
 * ends. Anything else (a stray quote, a wrong column count) is refused with its line number.
 */
import { z } from 'zod';
import { Id, IsoDate } from '../../events/common.ts';
import type { DepartmentLookup } from '../domain/org.ts';
import type { NewPerson } from './people.ts';

export const CSV_HEADER = ['employeeId', 'name', 'email', 'departmentId', 'joinedOn'] as const;

export class CsvRefused extends Error {
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvRefused';
    this.line = line;
    this.reason = reason;
  }
}

/** Rows of fields, each with the line number it starts on (1 = the header). */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte-order mark
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length) throw new CsvRefused(start, 'a quoted field is not closed');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (ch === '\n') line += 1;
          field += ch;
          i += 1;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new CsvRefused(line, 'text after a closing quote');
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new CsvRefused(line, 'a quote inside an unquoted field (put the field in quotes and double the quote)');
          field += text[i];
          i += 1;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i += 1;
    if (text[i] === '\n') i += 1;
    else if (i < text.length) throw new CsvRefused(line, 'a carriage return without a line feed');
    // blank lines are skipped (a trailing newline, or spacing in a hand-made file)
    if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: start, fields });
    line += 1;
  }
  return rows;
}

const Row = z.object({
  employeeId: Id,
  name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  email: z.string().trim().pipe(z.email('must be an email address').max(320, 'must be at most 320 characters')),
  departmentId: Id,
  joinedOn: IsoDate,
});

export interface CsvFacts {
  department(id: string): DepartmentLookup;
  /** the employee whose claim holds this email, if any */
  emailClaimedBy(email: string): string | null;
  /** whether someone else already has this person's id (false when it is this very person, added before) */
  employeeExists(person: NewPerson): boolean;
}

/** Validates the whole file; throws CsvRefused at the first bad line. Pure apart from `facts`. */
export function planCsvImport(text: string, facts: CsvFacts): NewPerson[] {
  const rows = parseCsv(text);
  const header = rows[0];
  if (!header) throw new CsvRefused(1, `the file is empty; the first line must be ${CSV_HEADER.join(',')}`);
  if (header.fields.map((f) => f.trim()).join(',') !== CSV_HEADER.join(',')) {
    throw new CsvRefused(header.line, `the header must be exactly ${CSV_HEADER.join(',')}`);
  }
  if (rows.length === 1) throw new CsvRefused(1, 'the file has a header but no employees');
  const ids = new Set<string>();
  const emails = new Map<string, number>();
  const people: NewPerson[] = [];
  for (const { line, fields } of rows.slice(1)) {
    if (fields.length !== CSV_HEADER.length) throw new CsvRefused(line, `has ${fields.length} fields, expected ${CSV_HEADER.length}`);
    const raw = Object.fromEntries(CSV_HEADER.map((k, j) => [k, k === 'name' || k === 'email' ? fields[j]! : fields[j]!.trim()]));
    const r = Row.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new CsvRefused(line, `${String(issue.path[0] ?? 'line')} ${issue.message}`);
    }
    const p = r.data;
    if (ids.has(p.employeeId)) throw new CsvRefused(line, `employeeId ${p.employeeId} appears twice in the file`);
    if (facts.employeeExists(p)) throw new CsvRefused(line, `employeeId ${p.employeeId} is already used`);
    const dept = facts.department(p.departmentId);
    if (dept !== 'open') throw new CsvRefused(line, `departmentId ${p.departmentId} ${dept === 'closed' ? 'is closed' : 'is not a department'}`);
    const email = p.email.toLowerCase();
    const earlier = emails.get(email);
    if (earlier !== undefined) throw new CsvRefused(line, `email ${p.email} is also on line ${earlier}`);
    const owner = facts.emailClaimedBy(email);
    // a claim naming this same person is an earlier run of this import that stopped midway
    if (owner !== null && owner !== p.employeeId) throw new CsvRefused(line, `email ${p.email} is already used by employee ${owner}`);
    ids.add(p.employeeId);
    emails.set(email, line);
    people.push(p);
  }
  return people;
}
