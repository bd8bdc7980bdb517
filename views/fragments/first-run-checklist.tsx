/** What a new Hallway needs before people can use it, each step ticked from the real state. */
export interface FirstRunState {
  /** open departments (setup opens the first) */
  departments: number;
  /** current employees (the first admin is one) */
  people: number;
  /** themes defined and not retired */
  themes: number;
  /** someone holds the curator role; someone holds the leader role */
  curator: boolean;
  leader: boolean;
}

interface Step {
  done: boolean;
  title: string;
  why: string;
  href: string;
  action: string;
}

export function firstRunSteps(s: FirstRunState): Step[] {
  return [
    { done: s.departments > 1, title: 'Open your departments', why: 'Stories travel between departments: the dashboard counts them by department.', href: '/admin/departments', action: 'Open departments' },
    { done: s.people > 1, title: 'Add people, or import them from a CSV file', why: 'Each gets an invitation link to choose a password.', href: '/admin/import', action: 'Import a CSV file' },
    { done: s.themes > 0, title: 'Define a few themes', why: 'Themes group stories; new hires read one story per theme.', href: '/curation#define', action: 'Define themes' },
    { done: s.curator && s.leader, title: 'Give the curator and leader roles', why: 'Curators keep the themes and picks; leaders see the dashboard.', href: '/admin/people', action: 'Choose people' },
  ];
}

export function FirstRunChecklist({ state }: { state: FirstRunState }) {
  const steps = firstRunSteps(state);
  const left = steps.filter((s) => !s.done).length;
  return (
    <section class="checklist" aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">{left === 0 ? 'Hallway is set up' : 'Getting started'}</h2>
      <p class="muted">{left === 0 ? 'Every first step is done.' : `${steps.length - left} of ${steps.length} first steps done.`}</p>
      <ol class="checklist-steps">
        {steps.map((s) => (
          <li class={s.done ? 'done' : 'todo'} data-done={s.done ? 'yes' : 'no'}>
            <span class="tick" aria-hidden="true">{s.done ? '✓' : ''}</span>
            <span>
              <strong>{s.title}</strong> <span class="sr-only">{s.done ? '(done)' : '(to do)'}</span>
              <br />
              <span class="muted">{s.why}</span>{' '}
              {s.done ? null : <a href={s.href}>{s.action}</a>}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
