import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { testHallway } from '../helpers.ts';
import { cookieFor } from '../auth-helpers.ts';
import { importFile } from '../../src/importer.ts';
import { DEMO_ACCOUNTS } from '../../events/seed/org.ts';
import { storyFigures } from '../../src/read/spread.ts';

const demoFile = fileURLToPath(new URL('../../events/seed/demo.jsonl', import.meta.url));

describe('the dashboard of the demo archive', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  let leader: string;
  let employee: string;
  beforeAll(async () => {
    // the demo's "today" is 2026-11-20; look at it the day after
    h = await testHallway({ clock: () => new Date('2026-11-21T09:00:00.000Z') });
    await importFile(h, demoFile);
    await h.runtime.waitFor(await h.store.headPosition());
    leader = await cookieFor(h, DEMO_ACCOUNTS.leader);
    employee = await cookieFor(h, DEMO_ACCOUNTS.employee);
  });
  afterAll(async () => h.dispose());

  it('shows a leader stories that crossed departments, and the quiet corners, in the default window', async () => {
    const res = await h.app.request('/dashboard', { headers: { Cookie: leader } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('The CIO at the open house');
    expect(html).toMatch(/Quiet corners<\/strong>[^<]*(<!-- -->)?[^<]*Finance/);
    expect(html).toContain('Smaller departments'); // Legal has four people
    expect(html).not.toContain('>Legal<');
  });

  it('has the open-house story travel by word of mouth across every department', () => {
    const f = storyFigures(h.runtime.db, 'story-open-house')!;
    expect(f.departmentsReached).toBe(10);
    expect(f.crossDepartmentEdges).toBeGreaterThan(20);
    expect(f.structuralVirality).toBeGreaterThan(4); // deep, not a broadcast
  });

  it('points a leader who looks long after the demo\'s today at its latest activity', async () => {
    const later = await testHallway({ clock: () => new Date('2027-06-01T09:00:00.000Z') });
    try {
      await importFile(later, demoFile);
      await later.runtime.waitFor(await later.store.headPosition());
      const res = await later.app.request('/dashboard', { headers: { Cookie: await cookieFor(later, DEMO_ACCOUNTS.leader) } });
      const html = await res.text();
      expect(html).toContain('No story passed between people in this window');
      const link = /href="(\/dashboard\?from=[0-9-]+&amp;to=2026-11-[0-9]+)"/.exec(html)?.[1]?.replace('&amp;', '&');
      expect(link).toBeDefined();
      const shown = await (await later.app.request(link!, { headers: { Cookie: await cookieFor(later, DEMO_ACCOUNTS.leader) } })).text();
      expect(shown).toContain('The CIO at the open house');
    } finally {
      await later.dispose();
    }
  });

  it('answers 403 to an employee', async () => {
    expect((await h.app.request('/dashboard', { headers: { Cookie: employee } })).status).toBe(403);
  });
});
