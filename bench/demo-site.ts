/**
 * The demo company served on a free local port, with one signed-in session per demo role: what
 * `npm run lighthouse` and the screenshot script look at. The archive lives in a temp dir and is
 * removed on close. Sessions are created directly (no password round trip): these scripts measure
 * pages, not sign-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../test/helpers.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../events/seed/org.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { DEMO_FILE } from '../src/cli/demo.ts';
import { loadConfig } from '../src/config.ts';
import { importFile } from '../src/importer.ts';
import { openHallway } from '../src/services.ts';
import { startServer } from '../src/server.ts';
import { openStore } from '../src/store/open.ts';

export type DemoRole = keyof typeof DEMO_ACCOUNTS;

export interface DemoSite {
  baseUrl: string;
  /** `hallway_session=…` for each demo role */
  cookie: Record<DemoRole, string>;
  /** a story with a long body, themes and circulation: the story page to look at */
  storyPath: string;
  close(): Promise<void>;
}

export async function startDemoSite(): Promise<DemoSite> {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-demo-site-'));
  const port = await freePort();
  const config = loadConfig({ HALLWAY_DATA_DIR: dir, PORT: String(port), HALLWAY_PUBLIC_URL: `http://127.0.0.1:${port}` });
  const store = await openStore(config);
  await importFile(store, DEMO_FILE);
  await store.close();
  const hallway = await openHallway(config, { log: () => {} });
  const server = await startServer(hallway);
  const cookie = {} as Record<DemoRole, string>;
  for (const [role, employeeId] of Object.entries(DEMO_ACCOUNTS) as [DemoRole, string][]) {
    const { token } = await createSession(hallway, employeeId);
    cookie[role] = `${SESSION_COOKIE}=${token}`;
  }
  const story = hallway.runtime.db
    .prepare<[], { story_id: string }>('SELECT story_id FROM story_stories WHERE retracted = 0 ORDER BY length(body) DESC LIMIT 1')
    .get();
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    cookie,
    storyPath: story ? `/stories/${story.story_id}` : '/',
    async close() {
      await server.stop();
      await hallway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
