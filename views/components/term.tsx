/**
 * A figure's plain name with its one-line explanation, shown on hover and on keyboard focus
 * (CSS: .term:hover/.term:focus + .tip) and tied to the name by aria-describedby, so a screen
 * reader reads it too. The name is a button only to be focusable: it does nothing when pressed.
 * Escape hides the tip (public/hallway.js), as WCAG 1.4.13 asks of content shown on hover.
 */

export interface GlossaryEntry {
  /** the plain name a leader would use */
  name: string;
  /** one line, in words, of what it means (matching SPREAD.md's definition) */
  explain: string;
}

export const GLOSSARY = {
  reached: { name: 'People reached', explain: 'People who heard the story for the first time in this window (read it, were told it or were sent it).' },
  reachedAll: { name: 'People reached', explain: 'Everyone who has heard the story, the teller not counted.' },
  size: { name: 'People in the tree', explain: 'The teller and everyone who has heard the story.' },
  touches: { name: 'Times heard', explain: 'Every time someone read, heard or was sent it, repeats included.' },
  newDepartments: { name: 'Departments newly reached', explain: 'Departments where someone heard the story for the first time in this window.' },
  departmentsReached: { name: 'Departments reached', explain: 'Departments with at least one person who has heard the story.' },
  coverage: { name: 'Share of departments reached', explain: 'Departments reached out of all open departments.' },
  virality: {
    name: 'Word-of-mouth score (structural virality)',
    explain: 'The average number of steps between two people who heard it: near 2 when everyone read it on Hallway, higher when people passed it on one to another.',
  },
  bucketMedian: { name: 'Typical for its size', explain: 'The middle score of stories that reached about as many people: bigger stories score higher, so compare like with like.' },
  depth: { name: 'Longest chain', explain: 'The most people it passed through, one to the next, from the teller.' },
  breadth: { name: 'Widest step', explain: 'The most people who heard it at the same number of steps from the teller.' },
  crossEdges: { name: 'Crossings', explain: 'Times it passed from someone in one department to someone in another.' },
  ei: {
    name: 'Across or within (E-I index)',
    explain: 'From −1, passed only within departments, to +1, passed only between them; 0 is half and half.',
  },
  entropy: { name: 'Evenness across departments', explain: 'From 0, all in one department, to 1, spread evenly over every open department.' },
  told: { name: 'Stories told', explain: 'Stories told in this window by people in the department.' },
  received: { name: 'Received from others', explain: 'Stories that reached the department from another department in this window.' },
  passedOn: { name: 'Passed to others', explain: 'Stories the department passed to another department in this window.' },
  curve: { name: 'Departments reached over time', explain: 'How many departments had heard it, day by day since it was told.' },
  themeTold: { name: 'Stories told', explain: 'Stories with this theme told in this window.' },
  quiet: { name: 'Quiet corner', explain: 'A department that heard no story from another department in this window.' },
  flows: { name: 'Times passed', explain: 'Times a story went from a person in the row’s department to a person in the column’s, in this window.' },
} satisfies Record<string, GlossaryEntry>;

export type GlossaryKey = keyof typeof GLOSSARY;

/** The term, named plainly, with its tip; `id` must be unique on the page. */
export function Term({ k, id, label }: { k: GlossaryKey; id: string; label?: string }) {
  const g: GlossaryEntry = GLOSSARY[k];
  const tip = `tip-${id}`;
  return (
    <span class="term-wrap">
      <button type="button" class="term" aria-describedby={tip}>
        {label ?? g.name}
      </button>
      <span role="tooltip" id={tip} class="tip">
        {g.explain}
      </span>
    </span>
  );
}
