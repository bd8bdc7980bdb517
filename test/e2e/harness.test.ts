import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, startE2E } from './harness.ts';
import { secretsInLog } from './log-secrets.ts';
import type { E2E } from './harness.ts';

/** The accessibility check itself must be able to fail, with and without JavaScript. */
describe('the e2e harness', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => e?.close());

  const bad = '<!doctype html><html lang="en"><head><title>probe</title></head><body><main><img src="/static/x.png"><button></button></main></body></html>';

  for (const js of [true, false]) {
    it(`fails on serious or critical axe findings (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = await e.newContext({ js });
      await context.route('**/__a11y-probe', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: bad }));
      const page = await context.newPage();
      await page.goto('/__a11y-probe');
      const errors = console.error;
      console.error = () => {};
      try {
        await expect(checkA11y(page, 'probe')).rejects.toThrow(/image-alt|button-name/);
      } finally {
        console.error = errors;
      }
      await context.close();
    });
  }

  it('serves the real app: the sign-in page passes', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const res = await page.goto('/sign-in');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await checkA11y(page, 'sign-in page');
    await context.close();
  });

  it('the log check (run by close()) finds a password, a sent value, a story text and a JSON-escaped value, and passes a clean log', async () => {
    const db = e.ctx.runtime.db;
    db.prepare(
      `INSERT INTO story_stories (story_id, title, body, teller_id, leader, leader_key, occurred_on, relation, anonymous, told_at, told_position, revision)
       VALUES ('probe-story', 'The probe title in the archive', 'A body that only the archive holds', 'emp-x', 'Lee', 'lee', '2024-01-01', 'witnessed', 0, '2024-01-01T00:00:00Z', 1, 1)`,
    ).run();
    try {
      const given = { passwords: ['correct horse battery'], sent: ['typed "words" here'], db };
      expect(secretsInLog(['{"msg":"GET /search","route":"/search","status":200}', ...e.logLines], given)).toEqual([]);
      const leaks = secretsInLog(
        [
          '{"msg":"sign-in with correct horse battery"}',
          JSON.stringify({ msg: 'searched', q: 'typed "words" here' }),
          '{"msg":"The probe title in the archive"}',
          '{"msg":"a body: A body that only the archive holds"}',
        ],
        given,
      );
      expect(leaks.map((l) => l.split(' (')[0])).toEqual(['a password', 'a value a browser sent', 'a story title', 'a story body']);
    } finally {
      db.prepare(`DELETE FROM story_stories WHERE story_id = 'probe-story'`).run();
    }
  });
});
