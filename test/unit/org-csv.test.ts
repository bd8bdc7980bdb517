import { describe, expect, it } from 'vitest';
import { CsvRefused, parseCsv, planCsvImport } from '../../src/auth/people-csv.ts';
import type { CsvFacts } from '../../src/auth/people-csv.ts';

const facts: CsvFacts = {
  department: (id) => (id === 'dept-noc' ? 'open' : id === 'dept-old' ? 'closed' : 'unknown'),
  emailClaimedBy: (email) => (email === 'taken@example.test' ? 'emp-9' : null),
  employeeExists: (p) => p.employeeId === 'emp-9',
};
const header = 'employeeId,name,email,departmentId,joinedOn\n';
const refusal = (text: string): CsvRefused => {
  try {
    planCsvImport(text, facts);
  } catch (e) {
    if (e instanceof CsvRefused) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
};

describe('parsing CSV strictly', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF line ends', () => {
    const rows = parseCsv('a,"b, c","say ""hi"""\r\n"multi\nline",x,\r\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x', ''] },
    ]);
  });
  it('refuses an unclosed quote and a stray quote, naming the line', () => {
    expect(() => parseCsv('a,b\n"open,c\n')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('a,b\nx"y,c\n')).toThrow(/line 2: a quote inside an unquoted field/);
  });
});

describe('given the org, when a CSV of employees is planned', () => {
  it('then every valid line becomes a person, in file order', () => {
    const people = planCsvImport(header + 'emp-1,"Lovelace, Ada",ada@example.test,dept-noc,2020-01-15\nemp-2,Grace Hopper,grace@example.test,dept-noc,2021-02-01\n', facts);
    expect(people).toEqual([
      { employeeId: 'emp-1', name: 'Lovelace, Ada', email: 'ada@example.test', departmentId: 'dept-noc', joinedOn: '2020-01-15' },
      { employeeId: 'emp-2', name: 'Grace Hopper', email: 'grace@example.test', departmentId: 'dept-noc', joinedOn: '2021-02-01' },
    ]);
  });
  it('then a wrong header is refused on line 1', () => {
    expect(refusal('id,name,email,departmentId,joinedOn\nemp-1,A,a@example.test,dept-noc,2020-01-15\n')).toMatchObject({ line: 1 });
  });
  it('then the first bad line is refused with its number and reason', () => {
    const ok = 'emp-1,Ada,ada@example.test,dept-noc,2020-01-15\n';
    expect(refusal(header + ok + 'emp-2,Bob,not-an-email,dept-noc,2020-01-15\n')).toMatchObject({ line: 3, reason: 'email must be an email address' });
    expect(refusal(header + ok + 'emp-2,Bob,bob@example.test,dept-noc,2020-02-30\n')).toMatchObject({ line: 3, reason: 'joinedOn is not a real date' });
    expect(refusal(header + ok + 'emp-2,Bob,bob@example.test,dept-old,2020-01-15\n').reason).toBe('departmentId dept-old is closed');
    expect(refusal(header + ok + 'emp-2,Bob,bob@example.test,dept-x,2020-01-15\n').reason).toBe('departmentId dept-x is not a department');
    expect(refusal(header + ok + 'emp-1,Bob,bob@example.test,dept-noc,2020-01-15\n').reason).toBe('employeeId emp-1 appears twice in the file');
    expect(refusal(header + ok + 'emp-9,Bob,bob@example.test,dept-noc,2020-01-15\n').reason).toBe('employeeId emp-9 is already used');
    expect(refusal(header + ok + 'emp-2,Bob,ADA@example.test,dept-noc,2020-01-15\n').reason).toBe('email ADA@example.test is also on line 2');
    expect(refusal(header + ok + 'emp-2,Bob,taken@example.test,dept-noc,2020-01-15\n').reason).toBe('email taken@example.test is already used by employee emp-9');
    expect(refusal(header + ok + 'emp-2,Bob,bob@example.test,dept-noc\n')).toMatchObject({ line: 3, reason: 'has 4 fields, expected 5' });
  });
  it('then a header with no employees is refused', () => {
    expect(refusal(header).reason).toMatch(/no employees/);
  });
});
