import { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../events/common.ts';
import { issueApiToken, listApiTokens, revokeApiToken } from '../auth/api-tokens.ts';
import { orgQueries } from '../read/org.ts';
import type { AppContext, AppEnv } from './env.ts';
import { statusOf } from './refusal.ts';
import { text, validForm } from './forms.ts';

/** Admin pages for leaders' API tokens: issue one (shown once), list, revoke. Admin role (access.ts). */
const IssueForm = z.object({
  employeeId: Id,
  label: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
});

type Errors = Partial<Record<'employeeId' | 'label' | 'form', string>>;

function TokensPage(props: { ctx: AppContext; errors?: Errors; values?: { employeeId?: string; label?: string }; issued?: string }) {
  const org = orgQueries(props.ctx.runtime.db);
  const leaders = org.employees().filter((e) => !e.leftAt && e.roles.includes('leader'));
  const tokens = listApiTokens(props.ctx);
  const e = props.errors ?? {};
  return (
    <div>
      <h1>API tokens</h1>
      <p class="muted">A token lets a leader's tool read <code>GET /api/stories/:id/spread</code> with <code>Authorization: Bearer …</code>. Hallway keeps only a hash of it.</p>
      {props.issued ? (
        <div class="notice" role="status">
          <p>Copy this token now; it will not be shown again:</p>
          <p><code class="token">{props.issued}</code></p>
        </div>
      ) : null}
      <form method="post" action="/admin/api-tokens">
        {e.form ? <p class="error" role="alert">{e.form}</p> : null}
        <label for="employeeId">Leader</label>
        <select id="employeeId" name="employeeId" aria-describedby={e.employeeId ? 'employeeId-error' : undefined}>
          {leaders.map((l) => (
            <option value={l.employeeId} selected={props.values?.employeeId === l.employeeId}>{l.name}</option>
          ))}
        </select>
        {e.employeeId ? <span class="field-error" id="employeeId-error">{e.employeeId}</span> : null}
        <label for="label">What it is for</label>
        <input type="text" id="label" name="label" maxlength={100} value={props.values?.label ?? ''} aria-describedby={e.label ? 'label-error' : undefined} />
        {e.label ? <span class="field-error" id="label-error">{e.label}</span> : null}
        <button type="submit">Issue a token</button>
      </form>
      <h2>Tokens</h2>
      {tokens.length === 0 ? <p>No token has been issued.</p> : (
        <table>
          <thead><tr><th scope="col">Leader</th><th scope="col">For</th><th scope="col">Issued</th><th scope="col">State</th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{org.employee(t.employee_id)?.name ?? 'someone no longer listed'}</td>
                <td>{t.label}</td>
                <td>{t.issued_at.slice(0, 10)}</td>
                <td>
                  {t.revoked_at ? `revoked ${t.revoked_at.slice(0, 10)}` : (
                    <form method="post" action={`/admin/api-tokens/${t.token_id}/revoke`} class="inline">
                      <button type="submit" class="secondary">Revoke</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function apiTokenRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/admin/api-tokens', (c) => c.render(<TokensPage ctx={ctx} />, { title: 'API tokens' }));

  // <form method="post" action="/admin/api-tokens"> employeeId (a leader), label
  const issueForm = validForm(IssueForm.extend({ employeeId: text(Id), label: text(IssueForm.shape.label) }), (c, errors, values) => {
    const shown: Errors = { employeeId: errors['employeeId']?.[0], label: errors['label']?.[0], form: errors['form']?.[0] };
    return c.render(<TokensPage ctx={ctx} errors={shown} values={{ employeeId: values['employeeId'] ?? '', label: values['label'] ?? '' }} />, { title: 'API tokens' });
  });

  app.post('/admin/api-tokens', issueForm, async (c) => {
    const form = await c.req.parseBody();
    const values = { employeeId: typeof form['employeeId'] === 'string' ? form['employeeId'] : '', label: typeof form['label'] === 'string' ? form['label'] : '' };
    const parsed = { data: c.req.valid('form') };
    const r = await issueApiToken(ctx, c.get('user')!.employeeId, parsed.data.employeeId, parsed.data.label);
    if ('error' in r) {
      c.status(statusOf(r));
      return c.render(<TokensPage ctx={ctx} errors={{ [r.field === 'employeeId' ? 'employeeId' : 'form']: r.message }} values={values} />, { title: 'API tokens' });
    }
    return c.render(<TokensPage ctx={ctx} issued={r.token} />, { title: 'API tokens' });
  });

  app.post('/admin/api-tokens/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!Id.safeParse(id).success) return c.text('No such token', 404);
    const err = await revokeApiToken(ctx, c.get('user')!.employeeId, id);
    if (err) return c.text(err.message, statusOf(err));
    return c.redirect('/admin/api-tokens', 303);
  });

  return app;
}
