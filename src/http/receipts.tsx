import { Hono } from 'hono';
import type { Context } from 'hono';
import { checkReceipt, Receipt, receiptFor } from '../chain/receipts.ts';
import { getStory } from '../read/stories.ts';
import { VerifyPage } from '../../views/pages/verify.tsx';
import type { AppContext, AppEnv, CurrentUser } from './env.ts';

type C = Context<AppEnv>;

/** the store as stored: receipts hash what it returns (ctx.store may open sealed fields) */
const logStore = (ctx: AppContext) => ctx.chain?.store ?? ctx.store;

/** The teller's receipt for a story, or undefined for anyone else (and on a page as of a date). */
export async function tellersReceipt(ctx: AppContext, viewer: CurrentUser, story: { storyId: string; tellerId: string }): Promise<Receipt | undefined> {
  if (story.tellerId !== viewer.employeeId || ctx.asOf) return undefined;
  return receiptFor(logStore(ctx), ctx.runtime.db, story.storyId, ctx.clock);
}

/** the largest receipt file accepted: a receipt is a few hundred bytes */
const MAX_RECEIPT_CHARS = 4000;

/**
 * Receipts (issue 13, docs/trust.md "Receipts"): the teller downloads one from their story's page;
 * anyone signed in checks one at /verify.
 */
export function receiptRoutes(ctx: AppContext) {
  const app = new Hono<AppEnv>();

  app.get('/stories/:id/receipt', async (c) => {
    const user = c.get('user')!;
    const story = getStory(ctx.runtime.db, c.req.param('id'));
    // only the teller: to anyone else there is no receipt here (not even whether the story exists)
    const receipt = story ? await tellersReceipt(ctx, user, story) : undefined;
    if (!receipt) {
      c.status(404);
      return c.render(
        <section class="narrow">
          <h1>No receipt here</h1>
          <p role="alert">A story’s receipt is for its teller only, on the story’s page.</p>
          <p><a href="/">Home</a></p>
        </section>,
        { title: 'Not found' },
      );
    }
    c.header('Content-Disposition', `attachment; filename="hallway-receipt-${receipt.storyId}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.body(JSON.stringify(receipt, null, 2) + '\n', 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  const page = (c: C, props: Omit<Parameters<typeof VerifyPage>[0], 'sealing'>, status: 200 | 422 = 200) => {
    c.status(status);
    return c.render(<VerifyPage {...props} sealing={ctx.chain?.sealing ?? false} />, { title: 'Check a receipt' });
  };

  app.get('/verify', (c) => page(c, {}));

  app.post('/verify', async (c) => {
    const form = await c.req.parseBody();
    const file = form['file'];
    const pasted = typeof form['receipt'] === 'string' ? form['receipt'] : '';
    const text = file instanceof File && file.size > 0 ? (file.size > MAX_RECEIPT_CHARS ? null : await file.text()) : pasted;
    const shown = (text ?? '').slice(0, MAX_RECEIPT_CHARS);
    if (text === null || text.length > MAX_RECEIPT_CHARS) return page(c, { text: shown, error: 'This is far larger than a receipt: choose the receipt file Hallway gave you.' }, 422);
    if (!text.trim()) return page(c, { error: 'Paste a receipt, or choose the receipt file.' }, 422);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return page(c, { text: shown, error: 'This is not a receipt: a receipt is the JSON text Hallway gave you, starting with {.' }, 422);
    }
    const parsed = Receipt.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return page(c, { text: shown, error: `This is not a Hallway story receipt (${issue ? `${issue.path.join('.') || 'receipt'}: ${issue.message}` : 'unknown shape'}).` }, 422);
    }
    const verdict = await checkReceipt(logStore(ctx), ctx.runtime.db, ctx.chain?.publicKeys ?? new Map(), parsed.data);
    return page(c, { text: shown, verdict });
  });

  return app;
}
