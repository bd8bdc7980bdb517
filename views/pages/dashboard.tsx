import { raw } from 'hono/html';
import type { Dashboard } from '../../src/projections/spread-dashboard.ts';
import type { ResolvedWindow } from '../../src/spread/window.ts';
import { coverageCurve } from '../charts/spread-charts.ts';
import { flowHeatmap } from '../fragments/flow-heatmap.ts';
import { TableScroll } from '../components/table-scroll.tsx';
import { Term } from '../components/term.tsx';
import type { Headline } from '../../src/spread/headlines.ts';
import { formatDate } from '../components/format.ts';

/**
 * The leadership dashboard (SPREAD.md, "Organisation figures"). Every chart is an SVG that
 * Hallway's own code rendered (views/charts), inserted with raw() after its serialiser escaped
 * every text in it; each has a table beside it. The flow matrix is a table shaded as a heatmap
 * (views/fragments/flow-heatmap.ts). No person's name or id appears.
 */

const fmt = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));

export function WindowForm({ w, errors }: { w: ResolvedWindow; errors?: Record<string, string> }) {
  const options: [string, string][] = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days'], ['365', 'Last 365 days'], ['all', 'All time']];
  return (
    <form method="get" action="/dashboard" class="window-form" aria-label="Window">
      <div>
        <label for="window">Window</label>
        <select id="window" name="window">
          {options.map(([v, l]) => (
            <option value={v} selected={w.preset === v}>{l}</option>
          ))}
        </select>
        {errors?.['window'] ? <span class="field-error" id="window-error">{errors['window']}</span> : null}
      </div>
      <div>
        <label for="from">or from</label>
        <input type="date" id="from" name="from" value={w.from} aria-describedby={errors?.['from'] ? 'from-error' : undefined} />
        {errors?.['from'] ? <span class="field-error" id="from-error">{errors['from']}</span> : null}
      </div>
      <div>
        <label for="to">to (included)</label>
        <input type="date" id="to" name="to" value={w.to} aria-describedby={errors?.['to'] ? 'to-error' : undefined} />
        {errors?.['to'] ? <span class="field-error" id="to-error">{errors['to']}</span> : null}
      </div>
      <button type="submit">Show</button>
    </form>
  );
}

export function DashboardPage({
  d,
  w,
  minGroup,
  latest,
  headlines = [],
  figuresAsOf,
}: {
  d: Dashboard;
  w: ResolvedWindow;
  minGroup: number;
  latest?: { from: string; to: string } | undefined;
  headlines?: Headline[];
  /** when the figures were worked out (ms): the page may be served while newer ones are (src/read/kept-latest.ts) */
  figuresAsOf?: number | undefined;
}) {
  const name = new Map(d.groups.map((g) => [g.id, g.name]));
  const nameOf = (id: string): string => name.get(id) ?? id;
  const quiet = d.departments.filter((x) => x.quiet);
  const csv = (table: string): string => `/dashboard/export.csv?table=${table}${w.query ? `&${w.query}` : ''}`;
  return (
    <div class="dashboard">
      <h1>How stories travel</h1>
      {figuresAsOf !== undefined ? (
        <p class="muted figures-as-of">
          Figures as of <time datetime={new Date(figuresAsOf).toISOString()}>{new Date(figuresAsOf).toISOString().slice(11, 19)} UTC</time>.
        </p>
      ) : null}
      {headlines.length ? (
        <section aria-labelledby="in-short" class="card">
          <h2 id="in-short">In short</h2>
          <p class="muted">For {w.label}.</p>
          <ul class="headlines">
            {headlines.map((h) => (
              <li>
                {h.text} {h.href ? <a href={h.href} class="muted">See the figures<span class="sr-only"> for this</span></a> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {latest ? (
        <p class="notice" role="status">
          Nothing new in this window ({w.label}): no story reached anyone. The latest activity was on {formatDate(latest.to)}.{' '}
          <a href={`/dashboard?from=${latest.from}&to=${latest.to}`}>Show the 30 days up to {formatDate(latest.to)}</a>
        </p>
      ) : null}
      <p class="muted">
        Figures for {w.label}, by department only: nobody's reading is shown. Departments with fewer than {minGroup} people are
        folded into “Smaller departments”. Hover or focus a column's name for what it means.
      </p>
      <WindowForm w={w} />

      <section aria-labelledby="circulating">
        <h2 id="circulating">Circulating stories</h2>
        <p class="muted">Ranked by people newly reached in the window.</p>
        {d.stories.length === 0 ? (
          <p>No story reached anyone new in this window.</p>
        ) : (
          <TableScroll label="Circulating stories">
          <table>
            <thead>
              <tr>
                <th scope="col">Story</th>
                <th scope="col"><Term k="reached" id="s-reached" /></th>
                <th scope="col"><Term k="touches" id="s-touches" /></th>
                <th scope="col"><Term k="newDepartments" id="s-new" /></th>
                <th scope="col"><Term k="virality" id="s-virality" label="Word-of-mouth score" /> <span class="muted">(<Term k="bucketMedian" id="s-median" label="typical for its size" />)</span></th>
                <th scope="col"><Term k="curve" id="s-curve" /></th>
              </tr>
            </thead>
            <tbody>
              {d.stories.map((s) => (
                <tr>
                  <td>
                    <a href={`/dashboard/stories/${encodeURIComponent(s.storyId)}`}>{s.title}</a>
                  </td>
                  <td>{s.added}</td>
                  <td>{s.touches}</td>
                  <td>{s.newDepartments}</td>
                  <td>
                    {fmt(s.virality)} <span class="muted">({fmt(s.bucketMedian)} for {s.bucket} people)</span>
                  </td>
                  <td>
                    {raw(coverageCurve(s.curve, `Departments reached: ${s.curve.length} by day ${Math.round(s.curve[s.curve.length - 1]?.days ?? 0)}`))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        )}
        <p><a href={csv('stories')}>Download as CSV</a></p>
      </section>

      <section aria-labelledby="flows">
        <h2 id="flows">Department flow matrix</h2>
        <p class="muted">Each cell counts the times a story passed from a person in the row's department to a person in the column's department, in the window. Darker is more; an empty cell is none.</p>
        {d.flows.length === 0 ? (
          <p>No story passed between people in this window.</p>
        ) : (
          <TableScroll label="Department flow matrix">{raw(flowHeatmap(d.flows.map((c) => ({ ...c, from: nameOf(c.from), to: nameOf(c.to) })), d.groups.map((g) => g.name)))}</TableScroll>
        )}
        <p><a href={csv('flows')}>Download as CSV</a></p>
      </section>

      <section aria-labelledby="departments">
        <h2 id="departments">Departments</h2>
        {quiet.length ? (
          <p class="notice">
            <strong>Quiet corners</strong> (heard no story from another department in the window):{' '}
            {quiet.map((q, i) => (
              <>{i ? ', ' : ''}{q.name}</>
            ))}
          </p>
        ) : (
          <p>Every department received a story from another department in the window.</p>
        )}
        <TableScroll label="Departments">
        <table>
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col"><Term k="told" id="d-told" /></th>
              <th scope="col"><Term k="received" id="d-received" /></th>
              <th scope="col"><Term k="passedOn" id="d-passed" /></th>
              <th scope="col"><Term k="ei" id="d-ei" /></th>
              <th scope="col"><Term k="quiet" id="d-quiet" /></th>
            </tr>
          </thead>
          <tbody>
            {d.departments.map((x) => (
              <tr class={x.quiet ? 'quiet' : undefined}>
                <td>{x.name}</td>
                <td>{x.told}</td>
                <td>{x.received}</td>
                <td>{x.passedOn}</td>
                <td>{fmt(x.eiIndex)}</td>
                <td>{x.quiet ? 'yes, quiet corner' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
        <p><a href={csv('departments')}>Download as CSV</a></p>
      </section>

      <section aria-labelledby="themes">
        <h2 id="themes">Themes</h2>
        <TableScroll label="Themes">
        <table>
          <thead>
            <tr><th scope="col">Theme</th><th scope="col"><Term k="themeTold" id="t-told" /></th><th scope="col"><Term k="reached" id="t-reached" /></th></tr>
          </thead>
          <tbody>
            {d.themes.map((t) => (
              <tr><td>{t.name}</td><td>{t.told}</td><td>{t.nodesAdded}</td></tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
        <p><a href={csv('themes')}>Download as CSV</a></p>
      </section>
    </div>
  );
}
