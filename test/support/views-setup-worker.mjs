// A worker thread that opens a views.db and sets up every read model when told, at a given
// moment, so that several start together (test/unit/views-setup-together.test.ts).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { openViews, setUpProjections } = await import('../../src/projections/runtime.ts');
const { allProjections } = await import('../../src/projections/index.ts');
parentPort.on('message', ({ file, startAt }) => {
  // line the threads up to the millisecond: the collisions happen within the first few
  while (Date.now() < startAt);
  try {
    const db = openViews(file);
    setUpProjections(db, allProjections(), () => {});
    db.prepare('SELECT count(*) FROM search_fts').get();
    db.close();
    parentPort.postMessage(null);
  } catch (err) {
    parentPort.postMessage(err instanceof Error ? err.message : String(err));
  }
});
parentPort.postMessage('ready');
