import { raw } from 'hono/html';
import type { CascadeNode } from '../../src/spread/cascade.ts';
import type { SpreadFigures } from '../../src/spread/figures.ts';
import { arrivalsTimeline, cascadeTree } from '../charts/spread-charts.ts';
import { TableScroll } from '../components/table-scroll.tsx';
import { plural } from '../components/format.ts';
import { Term } from '../components/term.tsx';
import type { GlossaryKey } from '../components/term.tsx';

/**
 * One story's spread for leadership: its figures, its cascade drawn by department (never names),
 * and when each department first heard it. Small departments appear folded (`groupName`).
 */
export function DashboardStoryPage(props: {
  title: string;
  figures: SpreadFigures;
  nodes: CascadeNode[];
  groupName: (departmentId: string) => string;
  backQuery: string;
}) {
  const { figures: f, nodes, groupName } = props;
  // arrivals and flows, folded: a folded group arrives when its first department does
  const arrivals: { department: string; days: number; at: string }[] = [];
  const seen = new Set<string>();
  for (const a of f.departmentArrivals) {
    const g = groupName(a.departmentId);
    if (seen.has(g)) continue;
    seen.add(g);
    arrivals.push({ department: g, days: a.afterSeconds / 86_400, at: a.at });
  }
  const flows = new Map<string, { from: string; to: string; count: number }>();
  for (const x of f.flows) {
    const from = groupName(x.from);
    const to = groupName(x.to);
    const k = `${from}\u0000${to}`;
    const cell = flows.get(k) ?? { from, to, count: 0 };
    cell.count += x.count;
    flows.set(k, cell);
  }
  const byDept = new Map<string, number>();
  for (const n of nodes) byDept.set(groupName(n.departmentId), (byDept.get(groupName(n.departmentId)) ?? 0) + 1);
  const tree = cascadeTree(nodes, groupName);
  const num = (x: number | null, d = 3): string => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(d));
  const rows: [GlossaryKey, string][] = [
    ['size', num(f.size)],
    ['reachedAll', num(f.reachedPeople)],
    ['touches', num(f.touches)],
    ['depth', num(f.depth)],
    ['breadth', num(f.maxBreadth)],
    ['virality', num(f.structuralVirality)],
    ['departmentsReached', num(f.departmentsReached)],
    ['coverage', f.departmentCoverage === null ? '—' : `${Math.round(f.departmentCoverage * 100)}%`],
    ['crossEdges', num(f.crossDepartmentEdges)],
    ['ei', num(f.eiIndex)],
    ['entropy', num(f.departmentEntropy)],
  ];
  return (
    <div class="dashboard">
      <p><a href={`/dashboard${props.backQuery ? `?${props.backQuery}` : ''}`}>← Dashboard</a></p>
      <h1>How “{props.title}” travelled</h1>
      <section aria-labelledby="figures">
        <h2 id="figures">Figures</h2>
        <p class="muted">Hover or focus a figure's name for what it means.</p>
        <dl class="figures">
          {rows.map(([k, v]) => (
            <>
              <dt>
                <Term k={k} id={`f-${k}`} />
              </dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
      </section>
      <section aria-labelledby="tree">
        <h2 id="tree">The cascade</h2>
        <p class="muted">
          Each mark is a person, placed under whoever passed the story on (or under the teller when it was read on the archive);
          colour and shape say the department. Hover a mark for its department.
          {tree.drawn < nodes.length ? ` The first ${tree.drawn} of ${plural(nodes.length, 'person', 'people')} are drawn.` : ''}
        </p>
        <figure>{raw(tree.svg)}</figure>
        <figure class="legend">{raw(tree.legend)}</figure>
        <TableScroll label="The cascade">
        <table>
          <caption>People in the tree, by department</caption>
          <thead><tr><th scope="col">Department</th><th scope="col">People</th></tr></thead>
          <tbody>
            {[...byDept].map(([d, n]) => (
              <tr><td>{d}</td><td>{n}</td></tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      </section>
      <section aria-labelledby="arrivals">
        <h2 id="arrivals">Department arrivals</h2>
        <figure>{raw(arrivalsTimeline(arrivals))}</figure>
        <TableScroll label="Department arrivals">
        <table>
          <caption>When each department first heard it</caption>
          <thead><tr><th scope="col">Department</th><th scope="col">First reached</th><th scope="col">Days after it was told</th></tr></thead>
          <tbody>
            {arrivals.map((a) => (
              <tr><td>{a.department}</td><td>{a.at.slice(0, 10)}</td><td>{a.days.toFixed(1)}</td></tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      </section>
      <section aria-labelledby="story-flows">
        <h2 id="story-flows">Between departments</h2>
        <TableScroll label="Between departments">
        <table>
          <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Times passed</th></tr></thead>
          <tbody>
            {[...flows.values()].map((x) => (
              <tr><td>{x.from}</td><td>{x.to}</td><td>{x.count}</td></tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      </section>
    </div>
  );
}
