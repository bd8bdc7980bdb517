/**
 * An append that finds another process holding events.db's write lock (an import) waits on a
 * timer, not in SQLite's busy handler: `serve` keeps answering meanwhile (issue 10).
 */
import { join } from 'node:path';
import Database from '../../src/store/sqlite-driver.ts';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded.ts';
import { tempDir } from '../helpers.ts';

const event = (id: string) => ({ id, type: 'ThemeDefined', data: { themeId: id, name: id }, metadata: { at: new Date(0).toISOString() } });

describe('embedded store: an append waiting for the write lock', () => {
  it('leaves the event loop free while another connection writes, and appends once the lock is free', async () => {
    const tmp = tempDir();
    const store = openEmbeddedStore(join(tmp.dir, 'events.db'));
    const other = new Database(join(tmp.dir, 'events.db'));
    try {
      other.exec('BEGIN IMMEDIATE'); // what an import in another process holds for each batch
      const order: string[] = [];
      const appended = store.append('theme-a', [event('a')]).then((r) => {
        order.push('appended');
        return r;
      });
      await new Promise<void>((r) => setTimeout(() => {
        order.push('timer');
        r();
      }, 30));
      expect(order).toEqual(['timer']);
      other.exec('COMMIT');
      expect((await appended).revision).toBe(0);
      expect(order).toEqual(['timer', 'appended']);
      expect(await store.headPosition()).toBe(1);
    } finally {
      other.close();
      await store.close();
      tmp.remove();
    }
  });
});
