import { Hono } from 'hono';
import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Id, IsoDate } from '../../events/common.ts';
import { Role } from '../../events/org.ts';
import type { FieldErrors } from '../../views/fragments/admin-fields.tsx';
import { AdminHomePage } from '../../views/pages/admin.tsx';
import { DepartmentsPage } from '../../views/pages/admin-departments.tsx';
import type { DepartmentsProps } from '../../views/pages/admin-departments.tsx';
import { PeoplePage } from '../../views/pages/admin-people.tsx';
import type { PeopleProps } from '../../views/pages/admin-people.tsx';
import { EraseConfirm, PersonPage } from '../../views/pages/admin-person.tsx';
import { erasePerson } from '../privacy/erase.ts';
import type { PersonProps } from '../../views/pages/admin-person.tsx';
import { AuditPage } from '../../views/pages/admin-audit.tsx';
import { ImportPage } from '../../views/pages/admin-import.tsx';
import type { ImportProps } from '../../views/pages/admin-import.tsx';
import { CsvRefused } from '../auth/people-csv.ts';
import {
  addEmployee,
  addPeople,
  closeDepartment,
  currentMembers,
  planPeopleImport,
  grantRole,
  markLeft,
  openDepartment,
  reissueInvitation,
  renameDepartment,
  revokeRole,
  transferEmployee,
} from '../auth/people.ts';
import { endAllSessions } from '../auth/sessions.ts';
import type { DomainError } from '../domain/decider.ts';
import { isDomainError } from '../domain/decider.ts';
import { auditEntries, isAuditGroup } from '../projections/audit.ts';
import type { AuditFilter } from '../projections/audit.ts';
import { orgQueries } from '../read/org.ts';
import { liveSessionCount, passwordHashOf } from '../read/auth.ts';
import { listThemes } from '../read/stories.ts';
import type { AppContext, AppEnv } from './env.ts';
import { chainQueries } from '../chain/tables.ts';
import { validForm } from './forms.ts';
import { nameUuid, sha256Hex } from '../ids.ts';
import type { FieldMessages } from './forms.ts';
import { statusOf } from './refusal.ts';
import { emailInvitation } from '../mail/notify.ts';
import { emailOverview } from './email.tsx';
import type { RefusalStatus } from './refusal.ts';

type C = Context<AppEnv>;

const PEOPLE_PAGE = 50;
const AUDIT_PAGE = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The audit page's filter from its query; a date that is not YYYY-MM-DD is refused beside its field. */
function auditFilterOf(q: Record<string, string>): { filter: AuditFilter; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const date = (name: 'from' | 'to'): string | undefined => {
    const v = (q[name] ?? '').trim();
    if (!v) return undefined;
    if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) errors[name] = 'must be a date (YYYY-MM-DD)';
    return v;
  };
  const action = q['action'] ?? '';
  const filter: AuditFilter = {
    group: isAuditGroup(action) ? action : undefined,
    person: (q['person'] ?? '').trim().slice(0, 200) || undefined,
    from: date('from'),
    to: date('to'),
  };
  return { filter, errors };
}

const Name = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
const OptionalId = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(Id.optional());

const AddPerson = z.object({
  employeeId: OptionalId,
  name: Name,
  email: z.string().trim().min(1, 'is required').pipe(z.email('must be an email address').max(320, 'must be at most 320 characters')),
  departmentId: z.string().trim().min(1, 'is required').pipe(Id),
  joinedOn: z.string().trim().min(1, 'is required').pipe(IsoDate),
  requestKey: z.string().optional(),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OpenDepartment = z.object({ departmentId: OptionalId, name: Name });

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const formValues = (form: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, v as string]));

/** The admin pages show one message per field; a message for no field goes under `_form`. */
const firstMessages = (errors: FieldMessages): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field === 'form' ? '_form' : field, messages[0] ?? '']));
const domainErrors = (e: DomainError): FieldErrors => ({ [e.field ?? '_form']: e.message });

/** Notices after a redirect (the no-JavaScript path), by code. */
const NOTICES: Record<string, string> = {
  opened: 'Department opened.',
  renamed: 'Department renamed.',
  closed: 'Department closed.',
  transferred: 'Transferred.',
  granted: 'Role granted.',
  revoked: 'Role revoked.',
  unchanged: 'Nothing to change.',
  left: 'Marked as left; their sessions have ended.',
  sessions: 'Every session of this person has ended.',
  erased: 'Erased: their key is destroyed. Hallway now shows “a former colleague” and their stories’ text as removed.',
};

/** A page: a full layout normally, only the admin frame for htmx (which swaps #admin-page). */
function page(c: C, title: string, node: HtmlEscapedString | Promise<HtmlEscapedString>, status: 200 | RefusalStatus = 200): Response | Promise<Response> {
  if (c.req.header('hx-request')) return c.html(node, status);
  c.status(status);
  return c.render(node, { title });
}

/** After a successful form post: browsers get a 303 to the page (refresh-safe), htmx the page itself. */
function after(c: C, url: string, notice: string, render: () => Response | Promise<Response>): Response | Promise<Response> {
  if (c.req.header('hx-request')) return render();
  return c.redirect(`${url}${url.includes('?') ? '&' : '?'}done=${notice}`, 303);
}

export function adminRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const org = () => orgQueries(ctx.runtime.db);
  const actor = (c: C): string => c.get('user')!.employeeId;
  const noticeOf = (c: C): string | undefined => NOTICES[c.req.query('done') ?? ''];
  const link = (path: string): string => `${ctx.config.publicUrl.replace(/\/$/, '')}${path}`;
  /** The invitation as the admin sees it: emailed to the person (SMTP configured, an address known), or its link. */
  const invitationShown = (employeeId: string, name: string, r: { token: string; expiresAt: Date }) => {
    const url = link(`/invitation/${r.token}`);
    const emailed = emailInvitation(ctx, employeeId, { token: r.token, url, expiresAt: r.expiresAt });
    return { url, name, expiresAt: r.expiresAt, ...(emailed ? { emailed: true } : {}) };
  };
  const openSessions = (employeeId?: string): number => liveSessionCount(ctx.runtime.db, ctx.clock().toISOString(), employeeId);

  // ------------------------------------------------------------ overview

  app.get('/admin', (c) => {
    const people = org().employees();
    const depts = org().departments();
    return page(
      c,
      'Administration',
      <AdminHomePage
        o={{
          people: people.filter((p) => !p.leftAt).length,
          left: people.filter((p) => p.leftAt).length,
          departments: depts.filter((d) => d.open).length,
          closedDepartments: depts.filter((d) => !d.open).length,
          admins: org().adminCount(),
          openSessions: openSessions(),
        }}
        firstRun={{
          departments: depts.filter((d) => d.open).length,
          people: people.filter((p) => !p.leftAt).length,
          themes: listThemes(ctx.runtime.db).length,
          curator: people.some((p) => !p.leftAt && p.roles.includes('curator')),
          leader: people.some((p) => !p.leftAt && p.roles.includes('leader')),
        }}
        seals={{ sealing: ctx.chain?.sealing ?? false, latest: chainQueries(ctx.runtime.db).latestSeal.get() }}
        email={emailOverview(ctx)}
      />,
    );
  });

  // ------------------------------------------------------------ departments

  const departmentsPage = (c: C, extra: Omit<DepartmentsProps, 'departments'> = {}, status: 200 | RefusalStatus = 200) =>
    page(
      c,
      'Departments',
      <DepartmentsPage departments={org().departments().map((d) => ({ ...d, members: currentMembers(ctx, d.departmentId) }))} {...extra} />,
      status,
    );

  app.get('/admin/departments', (c) => departmentsPage(c, { notice: noticeOf(c) }));

  // <form method="post" action="/admin/departments"> name, departmentId (optional)
  const openForm = validForm(OpenDepartment, (c, errors, values) => departmentsPage(c, { failed: { form: 'open', values, errors: firstMessages(errors) } }, 422));
  app.post('/admin/departments', openForm, async (c) => {
    const d = c.req.valid('form');
    const values = formValues(await c.req.parseBody());
    const r = await openDepartment(ctx, actor(c), d.departmentId ?? randomUUID(), d.name);
    if (isDomainError(r)) return departmentsPage(c, { failed: { form: 'open', values, errors: domainErrors(r) } }, statusOf(r));
    return after(c, '/admin/departments', 'opened', () => departmentsPage(c, { notice: NOTICES['opened'] }));
  });

  const renameForm = validForm(z.object({ name: Name }), (c, errors, values) =>
    departmentsPage(c, { failed: { form: `rename:${c.req.param('departmentId') ?? ''}`, values, errors: firstMessages(errors) } }, 422),
  );
  app.post('/admin/departments/:departmentId/rename', renameForm, async (c) => {
    const id = c.req.param('departmentId');
    const values = formValues(await c.req.parseBody());
    const r = await renameDepartment(ctx, actor(c), id, c.req.valid('form').name);
    if (isDomainError(r)) return r.kind === 'not-found' ? c.notFound() : departmentsPage(c, { failed: { form: `rename:${id}`, values, errors: { name: r.message } } }, statusOf(r));
    return after(c, '/admin/departments', 'renamed', () => departmentsPage(c, { notice: NOTICES['renamed'] }));
  });

  app.post('/admin/departments/:departmentId/close', async (c) => {
    const id = c.req.param('departmentId');
    const r = await closeDepartment(ctx, actor(c), id);
    if (isDomainError(r)) {
      if (r.kind === 'not-found') return c.notFound();
      return departmentsPage(c, { failed: { form: `close:${id}`, values: {}, errors: { departmentId: r.message } } }, statusOf(r));
    }
    return after(c, '/admin/departments', 'closed', () => departmentsPage(c, { notice: NOTICES['closed'] }));
  });

  // ------------------------------------------------------------ people

  const peoplePage = (c: C, extra: Partial<PeopleProps> = {}, status: 200 | RefusalStatus = 200) => {
    const q = (c.req.query('q') ?? '').trim().toLowerCase();
    const matching = org()
      .employees()
      .filter((p) => !q || p.name.toLowerCase().includes(q) || (p.email ?? '').includes(q) || p.employeeId.toLowerCase() === q);
    // a large company's list is paged and searched, not scrolled: the page stays small
    const pages = Math.max(1, Math.ceil(matching.length / PEOPLE_PAGE));
    const asked = Number(c.req.query('page') ?? 1);
    const at = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
    const people = matching.slice((at - 1) * PEOPLE_PAGE, at * PEOPLE_PAGE);
    return page(
      c,
      'People',
      <PeoplePage
        people={people}
        paging={{ page: at, pages, total: matching.length }}
        departments={org().departments()}
        query={q}
        today={ctx.clock().toISOString().slice(0, 10)}
        requestKey={ctx.newId()}
        {...extra}
      />,
      status,
    );
  };

  app.get('/admin/people', (c) => peoplePage(c, { notice: noticeOf(c) }));

  // <form method="post" action="/admin/people"> name, email, departmentId, joinedOn, employeeId (optional)
  const addForm = validForm(AddPerson, (c, errors, values) => peoplePage(c, { values, errors: firstMessages(errors) }, 422));
  app.post('/admin/people', addForm, async (c) => {
    const { requestKey, ...d } = c.req.valid('form');
    const values = formValues(await c.req.parseBody());
    // left blank, the id is derived from the form's key and what was typed: the same form sent
    // again (a retry after a failure midway) completes the same person; an edited one is another
    const typed = sha256Hex(JSON.stringify([d.name, d.email.toLowerCase(), d.departmentId, d.joinedOn]));
    const person = { ...d, employeeId: d.employeeId ?? (requestKey && UUID.test(requestKey) ? nameUuid(`person-add:${requestKey.toLowerCase()}:${typed}`) : randomUUID()) };
    const r = await addEmployee(ctx, actor(c), person);
    if (isDomainError(r)) return peoplePage(c, { values, errors: domainErrors(r) }, statusOf(r));
    // rendered, not redirected: the invitation link exists only in this response (or in the email)
    return peoplePage(c, {
      notice: `${person.name} was added.`,
      invitation: invitationShown(person.employeeId, person.name, r),
    });
  });

  const personPage = (c: C, employeeId: string, extra: Partial<PersonProps> = {}, status: 200 | RefusalStatus = 200) => {
    const person = org().employee(employeeId);
    if (!person) return c.notFound();
    const cred = { password_hash: passwordHashOf(ctx.runtime.db, employeeId) };
    return page(
      c,
      person.name,
      <PersonPage
        person={person}
        departments={org().departments()}
        openSessions={openSessions(employeeId)}
        hasPassword={!!cred.password_hash}
        audit={auditEntries(ctx.runtime.db, { employeeId, limit: 20 })}
        {...extra}
      />,
      status,
    );
  };
  const personUrl = (id: string): string => `/admin/people/${encodeURIComponent(id)}`;

  app.get('/admin/people/:employeeId', (c) => personPage(c, c.req.param('employeeId'), { notice: noticeOf(c) }));

  const transferForm = validForm(z.object({ departmentId: z.string().trim().min(1, 'is required') }), (c, errors, values) =>
    personPage(c, c.req.param('employeeId') ?? '', { failed: { form: 'transfer', values, errors: firstMessages(errors) } }, 422),
  );
  app.post('/admin/people/:employeeId/transfer', transferForm, async (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    const values = formValues(await c.req.parseBody());
    const r = await transferEmployee(ctx, actor(c), id, c.req.valid('form').departmentId);
    if (isDomainError(r)) return personPage(c, id, { failed: { form: 'transfer', values, errors: domainErrors(r) } }, statusOf(r));
    return after(c, personUrl(id), 'transferred', () => personPage(c, id, { notice: NOTICES['transferred'] }));
  });

  // one message for the pair: the role select and the grant/revoke buttons
  const rolesForm = validForm(z.object({ role: Role, action: z.enum(['grant', 'revoke']) }), (c, _errors, values) =>
    personPage(c, c.req.param('employeeId') ?? '', { failed: { form: 'roles', values, errors: { role: 'must be curator, leader or admin, to grant or revoke' } } }, 422),
  );
  app.post('/admin/people/:employeeId/roles', rolesForm, async (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    const values = formValues(await c.req.parseBody());
    const { role, action } = c.req.valid('form');
    const r = action === 'grant' ? await grantRole(ctx, actor(c), id, role) : await revokeRole(ctx, actor(c), id, role);
    if (isDomainError(r)) return personPage(c, id, { failed: { form: 'roles', values, errors: domainErrors(r) } }, statusOf(r));
    const code = r.events.length === 0 ? 'unchanged' : action === 'grant' ? 'granted' : 'revoked';
    return after(c, personUrl(id), code, () => personPage(c, id, { notice: NOTICES[code] }));
  });

  app.post('/admin/people/:employeeId/left', async (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    const r = await markLeft(ctx, actor(c), id);
    if (isDomainError(r)) return personPage(c, id, { failed: { form: 'left', values: {}, errors: domainErrors(r) } }, statusOf(r));
    return after(c, personUrl(id), 'left', () => personPage(c, id, { notice: NOTICES['left'] }));
  });

  // erasure (docs/trust.md): a confirm step that names the person and says what goes and what stays
  const confirmErase = (c: C, id: string) => {
    const person = org().employee(id)!;
    return page(c, `Erase ${person.name}?`, <EraseConfirm person={person} />);
  };
  app.get('/admin/people/:employeeId/erase', (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    return confirmErase(c, id);
  });
  app.post('/admin/people/:employeeId/erase', async (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    // only the confirm step's button says yes: anything else shows the question, and erases nothing
    if (formValues(await c.req.parseBody())['confirm'] !== 'yes') return confirmErase(c, id);
    const r = await erasePerson(ctx, actor(c), id);
    if (isDomainError(r)) return personPage(c, id, { failed: { form: 'erase', values: {}, errors: domainErrors(r) } }, statusOf(r));
    // the person's page shows the marker only once the read models have applied the erasure
    await ctx.runtime.waitFor(r.position);
    // nor does the email outbox keep their address, name or anything addressed to them
    ctx.mail?.outbox.forgetPerson(id);
    return after(c, personUrl(id), 'erased', () => personPage(c, id, { notice: NOTICES['erased'] }));
  });

  app.post('/admin/people/:employeeId/sessions/end', async (c) => {
    const id = c.req.param('employeeId');
    if (!org().employee(id)) return c.notFound();
    await endAllSessions(ctx, id, actor(c));
    return after(c, personUrl(id), 'sessions', () => personPage(c, id, { notice: NOTICES['sessions'] }));
  });

  app.post('/admin/people/:employeeId/invitation', async (c) => {
    const id = c.req.param('employeeId');
    const person = org().employee(id);
    if (!person) return c.notFound();
    const r = await reissueInvitation(ctx, actor(c), id);
    if (isDomainError(r)) return personPage(c, id, { failed: { form: 'invitation', values: {}, errors: domainErrors(r) } }, statusOf(r));
    return personPage(c, id, { notice: 'A new invitation link was made; any earlier one no longer works.', invitation: invitationShown(id, person.name, r) });
  });

  // ------------------------------------------------------------ CSV import

  app.get('/admin/import', (c) => page(c, 'Import people', <ImportPage />));

  app.post('/admin/import', async (c) => {
    const form = await c.req.parseBody();
    const file = form['file'];
    const text = file instanceof File && file.size > 0 ? await file.text() : str(form['csv']);
    const shown = text.length > 200_000 ? '' : text;
    const fail = (line: number, reason: string) => page(c, 'Import people', <ImportPage csv={shown} error={{ line, reason }} />, 422);
    if (text.length > 20_000_000) return fail(1, 'the file is larger than 20 MB; split it');
    let people;
    try {
      people = await planPeopleImport(ctx, text);
    } catch (e) {
      if (e instanceof CsvRefused) return fail(e.line, e.reason);
      throw e;
    }
    // every email is claimed in its own stream: an address another admin claimed since the plan refuses the import
    const added = await addPeople(ctx, actor(c), people.map((person) => ({ person })));
    if (isDomainError(added)) return fail(1, `an email in the file was just added by someone else (${added.message}); check the file and send it again`);
    const { invitations } = added;
    const first = invitations.values().next().value;
    const props: ImportProps = {
      imported: {
        count: people.length,
        invitations: people.map((p) => {
          const inv = invitationShown(p.employeeId, p.name, invitations.get(p.employeeId)!);
          return { name: p.name, url: inv.url, ...(inv.emailed ? { emailed: true } : {}) };
        }),
        expiresAt: first?.expiresAt ?? ctx.clock(),
      },
    };
    return page(c, 'Import people', <ImportPage {...props} />);
  });

  // ------------------------------------------------------------ audit

  app.get('/admin/audit', (c) => {
    const { filter, errors } = auditFilterOf(c.req.query());
    const before = Number(c.req.query('before') ?? 0);
    const start = Number.isInteger(before) && before > 0 ? before : 0;
    const bad = Object.keys(errors).length > 0;
    const entries = bad ? [] : auditEntries(ctx.runtime.db, { ...filter, before: start, limit: AUDIT_PAGE + 1 });
    const shown = entries.slice(0, AUDIT_PAGE);
    const next = entries.length > AUDIT_PAGE ? shown[shown.length - 1]!.position : null;
    return page(c, 'Audit trail', <AuditPage entries={shown} next={next} paged={start > 0} filter={filter} errors={errors} />, bad ? 422 : 200);
  });

  return app;
}
