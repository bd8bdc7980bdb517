import type Database from 'better-sqlite3';
import type { SIGN_IN_FAILURES } from '../../events/auth.ts';
import { preparedPer } from './prepared.ts';
import { FORMER_COLLEAGUE, REMOVED_TEXT } from '../privacy/markers.ts';
import type { ProjectedEvent, Projection, Views } from './runtime.ts';

const stmts = preparedPer((db: Views) => ({
  row: db.prepare('INSERT OR IGNORE INTO audit_log (position, at, kind, actor, employee_id, detail, story_id, subject_len) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  // PersonErased: the rows naming an erased teller's stories by title begin with the marker instead
  storiesOf: db.prepare<[string], string>("SELECT substr(key, 14) FROM audit_names WHERE key LIKE 'story-teller:%' AND name = ?").pluck(),
  eraseSubject: db.prepare('UPDATE audit_log SET detail = ? || substr(detail, subject_len + 1), subject_len = ? WHERE story_id = ? AND subject_len IS NOT NULL'),
  nameOf: db.prepare<[string], { name: string }>('SELECT name FROM audit_names WHERE key = ?'),
  remember: db.prepare('INSERT INTO audit_names (key, name) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET name = excluded.name'),
  session: db.prepare('INSERT OR IGNORE INTO audit_sessions (session_id, employee_id) VALUES (?, ?)'),
  sessionHolder: db.prepare<[string], { employee_id: string }>('SELECT employee_id FROM audit_sessions WHERE session_id = ?'),
  token: db.prepare('INSERT OR IGNORE INTO audit_tokens (token_id, employee_id) VALUES (?, ?)'),
  tokenHolder: db.prepare<[string], { employee_id: string }>('SELECT employee_id FROM audit_tokens WHERE token_id = ?'),
}));

type Statements = ReturnType<typeof stmts>;

// module functions, not closures made per event: the audit sees every event of an import
// (mostly reads and shares it does not record), and a closure per event showed in its profile
function row(q: Statements, e: ProjectedEvent, kind: AuditKind, employeeId: string | null, detail = '', story?: { storyId: string; titleLength: number }): void {
  q.row.run(e.position, e.metadata.at, kind, e.metadata.actor ?? null, employeeId, detail, story?.storyId ?? null, story?.titleLength ?? null);
}
// names as they were when the event happened: departments, themes, and each person's department
const nameOf = (q: Statements, key: string): string | undefined => q.nameOf.get(key)?.name;
const remember = (q: Statements, key: string, name: string): void => void q.remember.run(key, name);
const deptName = (q: Statements, id: string): string => nameOf(q, `department:${id}`) ?? id;

/**
 * The admin's audit trail: every change of who can do what and of the organisation: sign-ins
 * (failed ones too), sign-outs, session ends, roles, people joining, transferring and leaving,
 * departments, themes, invitations, passwords, API tokens and exports; one row per event (by its
 * global position), newest first on the page. Keeps its own session, token and name maps, so it
 * depends on no other projection.
 */
export const auditProjection: Projection = {
  name: 'audit',
  // 2: the organisation's changes, themes, failed sign-ins and exports (issue 11)
  // 3: its own copy of people's names (person:{id}), so the page joins no other read model's
  //    tables; `hallway export` as its own kind
  // 4: review before publishing: the setting, approvals and returns (issue 12)
  // 5: the story a row names, so erasing its teller rewrites its title (issue 13)
  // 6: the weekly email digest switched on or off (issue 14)
  version: 6,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit_log (
        position INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT,
        employee_id TEXT, detail TEXT NOT NULL DEFAULT '',
        -- the story a row names by its title (the first subject_len characters of detail)
        story_id TEXT, subject_len INTEGER);
      CREATE INDEX IF NOT EXISTS audit_log_story ON audit_log (story_id) WHERE story_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS audit_log_employee ON audit_log (employee_id, position);
      CREATE INDEX IF NOT EXISTS audit_log_kind ON audit_log (kind, position);
      CREATE TABLE IF NOT EXISTS audit_sessions (session_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS audit_tokens (token_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS audit_names (key TEXT PRIMARY KEY, name TEXT NOT NULL);
    `);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS audit_log; DROP TABLE IF EXISTS audit_sessions; DROP TABLE IF EXISTS audit_tokens; DROP TABLE IF EXISTS audit_names;');
    stmts.forget(db);
    pageQueries.forget(db);
  },
  apply(db, e) {
    const q = stmts(db);
    switch (e.type) {
      case 'SessionStarted':
        q.session.run(e.data.sessionId, e.data.employeeId);
        row(q, e, 'signed-in', e.data.employeeId);
        break;
      case 'SessionEnded': {
        const s = q.sessionHolder.get(e.data.sessionId);
        row(q, e, e.data.reason === 'signed-out' ? 'signed-out' : e.data.reason === 'revoked' ? 'session-revoked' : 'session-expired', s?.employee_id ?? null);
        break;
      }
      case 'SignInFailed':
        row(q, e, 'sign-in-failed', e.data.employeeId ?? null, SIGN_IN_FAILURE_WORDS[e.data.reason]);
        break;
      case 'EmployeeRoleGranted':
        row(q, e, 'role-granted', e.data.employeeId, e.data.role);
        break;
      case 'EmployeeRoleRevoked':
        row(q, e, 'role-revoked', e.data.employeeId, e.data.role);
        break;
      case 'EmployeeJoined':
        remember(q, `person:${e.data.employeeId}`, e.data.name);
        remember(q, `person-dept:${e.data.employeeId}`, e.data.departmentId);
        row(q, e, 'joined', e.data.employeeId, deptName(q, e.data.departmentId));
        break;
      case 'EmployeeTransferred': {
        const from = nameOf(q, `person-dept:${e.data.employeeId}`);
        remember(q, `person-dept:${e.data.employeeId}`, e.data.departmentId);
        row(q, e, 'transferred', e.data.employeeId, from ? `${deptName(q, from)} → ${deptName(q, e.data.departmentId)}` : `to ${deptName(q, e.data.departmentId)}`);
        break;
      }
      case 'EmployeeLeft':
        row(q, e, 'left', e.data.employeeId);
        break;
      case 'DepartmentOpened':
        remember(q, `department:${e.data.departmentId}`, e.data.name);
        row(q, e, 'department-opened', null, e.data.name);
        break;
      case 'DepartmentRenamed': {
        const was = deptName(q, e.data.departmentId);
        remember(q, `department:${e.data.departmentId}`, e.data.name);
        row(q, e, 'department-renamed', null, `${was} → ${e.data.name}`);
        break;
      }
      case 'DepartmentClosed':
        row(q, e, 'department-closed', null, deptName(q, e.data.departmentId));
        break;
      case 'ThemeDefined':
        remember(q, `theme:${e.data.themeId}`, e.data.name);
        row(q, e, 'theme-defined', null, e.data.name);
        break;
      case 'ThemeDescribed': {
        const was = nameOf(q, `theme:${e.data.themeId}`) ?? e.data.themeId;
        const now = e.data.name ?? was;
        remember(q, `theme:${e.data.themeId}`, now);
        row(q, e, 'theme-described', null, now === was ? now : `${was} → ${now}`);
        break;
      }
      case 'ThemeRetired':
        row(q, e, 'theme-retired', null, nameOf(q, `theme:${e.data.themeId}`) ?? e.data.themeId);
        break;
      case 'InvitationIssued':
        row(q, e, 'invited', e.data.employeeId);
        break;
      case 'PasswordSet':
        row(q, e, 'password-set', e.data.employeeId);
        break;
      case 'ApiTokenIssued':
        q.token.run(e.data.tokenId, e.data.employeeId);
        row(q, e, 'api-token-issued', e.data.employeeId, e.data.label);
        break;
      case 'ApiTokenRevoked': {
        const t = q.tokenHolder.get(e.data.tokenId);
        row(q, e, 'api-token-revoked', t?.employee_id ?? null);
        break;
      }
      case 'DataExported':
        // the person is whoever downloaded it
        if (e.data.what === 'log-export') row(q, e, 'log-exported', null, e.data.detail);
        else row(q, e, 'exported', e.metadata.actor ?? null, e.data.detail);
        break;
      // review before publishing: the curator is the actor; the teller is not named (an anonymous
      // story's teller stays hidden from admins who are not curators), the story by its title
      case 'StorySubmitted':
        remember(q, `story:${e.data.storyId}`, e.data.title);
        remember(q, `story-teller:${e.data.storyId}`, e.data.tellerId);
        break;
      case 'PersonErased':
        row(q, e, 'erased', e.data.employeeId);
        remember(q, `person:${e.data.employeeId}`, FORMER_COLLEAGUE);
        for (const storyId of q.storiesOf.all(e.data.employeeId)) {
          remember(q, `story:${storyId}`, REMOVED_TEXT);
          q.eraseSubject.run(REMOVED_TEXT, REMOVED_TEXT.length, storyId);
        }
        break;
      case 'StoryAmended':
        if (e.data.title !== undefined) remember(q, `story:${e.data.storyId}`, e.data.title);
        break;
      case 'ArchiveSettingsChanged':
        row(q, e, 'review-setting', null, e.data.reviewBeforePublishing ? 'review before publishing turned on' : 'review before publishing turned off');
        break;
      case 'EmailSettingsChanged':
        row(q, e, 'email-setting', null, e.data.weeklyDigest ? 'weekly email digest turned on' : 'weekly email digest turned off');
        break;
      case 'StoryApproved': {
        const title = nameOf(q, `story:${e.data.storyId}`) ?? e.data.storyId;
        row(q, e, 'story-approved', null, title, { storyId: e.data.storyId, titleLength: title.length });
        break;
      }
      case 'StoryReturned': {
        const title = nameOf(q, `story:${e.data.storyId}`) ?? e.data.storyId;
        row(q, e, 'story-returned', null, `${title}: “${e.data.note}”`, { storyId: e.data.storyId, titleLength: title.length });
        break;
      }
      default:
        break;
    }
  },
};

const SIGN_IN_FAILURE_WORDS: Record<(typeof SIGN_IN_FAILURES)[number], string> = {
  'wrong-password': 'wrong password',
  'no-password': 'no password set yet',
  left: 'has left',
  'unknown-email': 'an email address nobody has',
};

/** Every kind of row, grouped as the audit page's "action" filter offers them. */
export const AUDIT_GROUPS = {
  'sign-ins': ['signed-in', 'signed-out', 'session-revoked', 'session-expired', 'sign-in-failed'],
  roles: ['role-granted', 'role-revoked'],
  people: ['joined', 'transferred', 'left', 'erased', 'invited', 'password-set'],
  departments: ['department-opened', 'department-renamed', 'department-closed'],
  themes: ['theme-defined', 'theme-described', 'theme-retired'],
  exports: ['exported', 'log-exported'],
  'api-tokens': ['api-token-issued', 'api-token-revoked'],
  review: ['review-setting', 'story-approved', 'story-returned'],
  email: ['email-setting'],
} as const;
export type AuditGroup = keyof typeof AUDIT_GROUPS;
export type AuditKind = (typeof AUDIT_GROUPS)[AuditGroup][number];
export const isAuditGroup = (s: string): s is AuditGroup => Object.prototype.hasOwnProperty.call(AUDIT_GROUPS, s);

export interface AuditEntry {
  position: number;
  at: string;
  kind: string;
  actor: string | null;
  employeeId: string | null;
  detail: string;
  employeeName: string | null;
  actorName: string | null;
}

export interface AuditFilter {
  /** a group of kinds (the page's "action") */
  group?: AuditGroup | undefined;
  /** part of the name of the person the row is about, or who did it (ignoring case), or an exact id */
  person?: string | undefined;
  /** YYYY-MM-DD, included */
  from?: string | undefined;
  /** YYYY-MM-DD, included */
  to?: string | undefined;
}

interface AuditRow {
  position: number;
  at: string;
  kind: string;
  actor: string | null;
  employee_id: string | null;
  detail: string;
  employee_name: string | null;
  actor_name: string | null;
}
/** One statement per shape of filter (at most 2^5 of them), prepared once per connection. */
const pageQueries = preparedPer(() => new Map<string, Database.Statement<(string | number)[], AuditRow>>());
function pageQuery(db: Views, where: string): Database.Statement<(string | number)[], AuditRow> {
  const cache = pageQueries(db);
  let st = cache.get(where);
  if (!st) {
    st = db.prepare<(string | number)[], AuditRow>(
      `SELECT a.position, a.at, a.kind, a.actor, a.employee_id, a.detail, e.name AS employee_name, x.name AS actor_name
       FROM audit_log a LEFT JOIN audit_names e ON e.key = 'person:' || a.employee_id LEFT JOIN audit_names x ON x.key = 'person:' || a.actor
       WHERE ${where} ORDER BY a.position DESC LIMIT ?`,
    );
    cache.set(where, st);
  }
  return st;
}

/** Newest first, `limit` rows before position `before` (exclusive; 0 = from the newest), filtered. */
export function auditEntries(
  db: Views,
  opts: { before?: number; limit?: number; employeeId?: string } & AuditFilter = {},
): AuditEntry[] {
  const before = opts.before && opts.before > 0 ? opts.before : Number.MAX_SAFE_INTEGER;
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const where: string[] = ['a.position < ?'];
  const params: (string | number)[] = [before];
  if (opts.employeeId) {
    where.push('a.employee_id = ?');
    params.push(opts.employeeId);
  }
  if (opts.group) {
    const kinds = AUDIT_GROUPS[opts.group];
    where.push(`a.kind IN (${kinds.map(() => '?').join(', ')})`);
    params.push(...kinds);
  }
  const person = opts.person?.trim();
  if (person) {
    const like = `%${person.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push("(lower(e.name) LIKE ? ESCAPE '\\' OR lower(x.name) LIKE ? ESCAPE '\\' OR a.employee_id = ? OR a.actor = ?)");
    params.push(like, like, person, person);
  }
  if (opts.from) {
    where.push('a.at >= ?');
    params.push(opts.from);
  }
  if (opts.to) {
    // the whole of the last day: every instant on it sorts before the next day
    where.push('a.at < ?');
    params.push(new Date(Date.parse(`${opts.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  }
  params.push(limit);
  const rows = pageQuery(db, where.join(' AND ')).all(...params);
  return rows.map((r) => ({
    position: r.position,
    at: r.at,
    kind: r.kind,
    actor: r.actor,
    employeeId: r.employee_id,
    detail: r.detail,
    employeeName: r.employee_name,
    actorName: r.actor_name,
  }));
}
