import type BetterSqlite3 from 'better-sqlite3';

/** Values shorter than this are words any log line may hold by chance ("care", "2024", "on"). */
const SHORTEST = 8;

/**
 * Issue 14, "no secret, token, password or story text in any log line": the lines of `log` that
 * hold any password given to a test person, any value a browser sent (form fields — passwords,
 * story text, search words, CSRF tokens — query values, cookies), or any story's title or body in
 * the archive. Returns one description per leak (what leaked and the start of the line).
 */
export function secretsInLog(
  log: readonly string[],
  { passwords, sent, db }: { passwords: Iterable<string>; sent: Iterable<string>; db: BetterSqlite3.Database },
): string[] {
  const secrets = new Map<string, string>();
  const add = (kind: string, v: string | null | undefined): void => {
    if (v && v.length >= SHORTEST && !secrets.has(v)) secrets.set(v, kind);
  };
  for (const p of passwords) add('a password', p);
  for (const v of sent) add('a value a browser sent', v);
  const stories = db.prepare<[], { title: string; body: string }>('SELECT title, body FROM story_stories').all();
  for (const s of stories) {
    add('a story title', s.title);
    add('a story body', s.body);
  }
  const leaks: string[] = [];
  for (const logged of log) {
    // the route is a pattern from the code (`/stories/:id`), never the path: a form's `next=/stories/new` matches it harmlessly
    const line = logged.replace(/"route":"[^"]*"/, '"route":""');
    // JSON escapes quotes and non-ASCII: compare with the line as it reads, and as written
    let text = line;
    try {
      text = `${line}\n${JSON.stringify(JSON.parse(line) as unknown)}`;
    } catch {
      // not JSON: checked as written
    }
    for (const [v, kind] of secrets) if (line.includes(v) || text.includes(v) || line.includes(JSON.stringify(v).slice(1, -1))) leaks.push(`${kind} (${JSON.stringify(v.slice(0, 12))}…) in: ${line.slice(0, 160)}`);
  }
  return leaks;
}
