import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDefinitions } from '../../events/catalogue.ts';
import { ACCESS } from '../../src/http/access.ts';
import { ImportRefused, importLines } from '../../src/importer.ts';
import { testHallway } from '../helpers.ts';
import { flushReads } from '../../src/circulation/record-read.ts';
import { signedIn } from '../auth-helpers.ts';

/**
 * Fuzz (issue 9): random bytes, random form fields and random JSONL lines at the routes (as each
 * role, through the real app) and at the importer. No 500, and a refused request or file appends
 * nothing (the log's head is where it was).
 */
const ORIGIN = 'http://localhost';
const TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=zz',
  'multipart/form-data; boundary=',
  'application/json',
  'text/plain',
  '',
];
const FIELDS = ['email', 'password', 'next', 'title', 'body', 'leader', 'happenedIn', 'occurredOn', 'themes', 'relation', 'retellingOf', 'anonymous', 'reason', 'name', 'description', 'themeId', 'departmentId', 'role', 'action', 'storyIds', 'toId', 'fromId', 'setting', 'label', 'employeeId', 'csv', 'confirm', 'idempotencyKey', 'q', '__proto__', 'constructor'];

describe('fuzzing the routes and the importer', () => {
  let h: Awaited<ReturnType<typeof testHallway>>;
  const cookies: (string | undefined)[] = [undefined];
  let storyId = 'none';
  beforeAll(async () => {
    h = await testHallway();
    for (const roles of [[], ['curator'], ['leader'], ['admin'], ['admin', 'curator', 'leader']] as const) {
      cookies.push((await signedIn(h, { roles: [...roles], departmentId: 'dept-fuzz' })).cookie);
    }
    const told = await h.app.request('/stories', {
      method: 'POST',
      body: new URLSearchParams({ title: 'Fuzz', body: 'A story.', leader: 'Lee', happenedIn: 'dept-fuzz', occurredOn: '2024', relation: 'witnessed' }).toString(),
      headers: { Origin: ORIGIN, Cookie: cookies[1]!, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    storyId = /\/stories\/([^/?#]+)/.exec(told.headers.get('location') ?? '')?.[1] ?? 'none';
    expect(storyId, `${told.status} ${told.headers.get('location')}`).not.toBe('none');
  });
  afterAll(async () => h.dispose());

  // filled in at run time: the story exists only after beforeAll
  const pathOf = (r: (typeof ACCESS)[number]) => ({ method: r.method, path: r.path.replace(':id', () => storyId).replace(/:[A-Za-z]+/g, 'x-1').replace('*', 'hallway.css') });

  const body = fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((b) => ({ kind: 'bytes' as const, b })),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })), fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', storyId, 'x-1', '2024', 'admin', '/\t/evil', '%00')), { maxKeys: 8 }).map((f) => ({ kind: 'form' as const, f })),
  );

  it('random requests as every role: never a 500, and a refused one appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ACCESS).map(pathOf), fc.integer({ min: 0, max: cookies.length - 1 }), fc.constantFrom(...TYPES), body, fc.boolean(), async (route, who, type, b, multipartForm) => {
        const headers: Record<string, string> = { Origin: ORIGIN };
        const cookie = cookies[who];
        if (cookie) headers['Cookie'] = cookie;
        let payload: RequestInit['body'];
        if (route.method === 'GET') payload = undefined;
        else if (b.kind === 'bytes') {
          payload = b.b;
          if (type) headers['Content-Type'] = type;
        } else if (multipartForm) {
          const fd = new FormData();
          for (const [k, v] of Object.entries(b.f)) fd.append(k, v);
          payload = fd;
        } else {
          payload = new URLSearchParams(Object.entries(b.f)).toString();
          headers['Content-Type'] = 'application/x-www-form-urlencoded';
        }
        const query = route.method === 'GET' && b.kind === 'form' ? `?${new URLSearchParams(Object.entries(b.f)).toString()}` : '';
        // story pages queue StoryRead events and append them later: append those first, so the
        // head moves only by what this request appends
        await flushReads(h, { wait: false });
        const before = await h.store.headPosition();
        const res = await h.app.request(`${route.path}${query}`, { method: route.method, headers, ...(payload !== undefined ? { body: payload } : {}) });
        await res.arrayBuffer();
        expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
        if (res.status === 401 && route.method === 'POST' && route.path === '/sign-in') {
          // a refused sign-in is recorded for the audit trail (SignInFailed), and nothing else is
          const since = await h.store.readAll({ after: before, limit: 10 });
          expect(since.map((e) => e.type).filter((t) => t !== 'SignInFailed')).toEqual([]);
        } else if (res.status >= 400) expect(await h.store.headPosition(), `${route.method} ${route.path} ${res.status}`).toBe(before);
      }),
      { numRuns: 1000 },
    );
  }, 300_000);

  const types = allDefinitions.map((d) => d.type);
  const id = fc.constantFrom('d1', 'e1', 'e2', 's1', 't1', 'x', '', '../x', 'a'.repeat(70));
  const lineArb = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 3 }),
    fc.record({
      id: fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })), { nil: undefined }),
      type: fc.oneof(fc.constantFrom(...types), fc.string({ maxLength: 10 })),
      data: fc.dictionary(
        fc.oneof(fc.constantFrom('departmentId', 'employeeId', 'storyId', 'themeId', 'name', 'email', 'joinedOn', 'role', 'sessionId', 'secretHash', 'expiresAt', 'tokenId', '__proto__', 'constructor'), fc.string({ maxLength: 8 })),
        fc.oneof(id, fc.constant(null), fc.integer(), fc.constantFrom('2020-01-01', 'admin', 'a@b.test', 'ab'.repeat(32), '2030-01-01T00:00:00.000Z')),
        { maxKeys: 6 },
      ),
      metadata: fc.record({ at: fc.constantFrom('2026-01-01T00:00:00.000Z', 'yesterday', null), actor: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }), v: fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }) }),
    }).map((r) => JSON.stringify(r)),
  );
  const good = [
    '{"type":"DepartmentOpened","data":{"departmentId":"d1","name":"Ops"},"metadata":{"at":"2026-01-01T00:00:00.000Z"}}',
    '{"type":"EmployeeJoined","data":{"employeeId":"e1","name":"E","departmentId":"d1","joinedOn":"2020-01-01","email":"e1@example.test"},"metadata":{"at":"2026-01-01T00:00:00.000Z"}}',
  ];

  it('random JSONL at the importer: it imports or refuses with a line number, and a refused file appends nothing', async () => {
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 6 }), fc.boolean(), fc.boolean(), async (lines, prefix, includeAuth) => {
        const file = prefix ? [...good, ...lines] : lines;
        const before = await h.store.headPosition();
        try {
          await importLines(h.store, file, { includeAuth });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefused);
          expect((e as ImportRefused).line).toBeGreaterThanOrEqual(1);
          expect((e as ImportRefused).line).toBeLessThanOrEqual(file.length);
          expect(await h.store.headPosition()).toBe(before);
          refusals += 1;
        }
      }),
      { numRuns: 1000 },
    );
    expect(refusals).toBeGreaterThan(0);
  }, 300_000);
});
