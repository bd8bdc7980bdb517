/**
 * "Who showed the behaviour": free text, with current and former colleagues suggested as one
 * types. Without JavaScript the browser's own <datalist> offers the names, and a name typed
 * exactly as one person's is linked to them by the server; with htmx the matches below the field
 * let the teller say which person they mean, or that it is someone outside the company.
 */
export interface LeaderCandidate {
  employeeId: string;
  name: string;
  department: string;
  former: boolean;
}

/** The value of the "someone outside the company" choice: the name stays free text, unlinked. */
export const OUTSIDE = 'outside';

export function LeaderMatches({ query, matches, chosen }: { query: string; matches: LeaderCandidate[]; chosen?: string | undefined }) {
  if (!query.trim()) return null;
  if (matches.length === 0) return <p class="muted">No colleague matches “{query}”: the name is kept as you typed it.</p>;
  return (
    <fieldset class="leader-matches">
      <legend>Is this someone who works or worked here?</legend>
      {matches.map((m) => (
        <label class="choice">
          <input type="radio" name="leaderId" value={m.employeeId} checked={chosen === m.employeeId} /> {m.name}{' '}
          <span class="muted">({m.department}{m.former ? ', former colleague' : ''})</span>
        </label>
      ))}
      <label class="choice">
        <input type="radio" name="leaderId" value={OUTSIDE} checked={chosen === OUTSIDE} /> Someone else (outside the company, or not listed)
      </label>
    </fieldset>
  );
}

export function LeaderField(props: {
  value: string;
  chosen: string;
  /** every current and former colleague's name, for the browser's own suggestions */
  names: string[];
  matches: LeaderCandidate[];
  invalid: Record<string, string | undefined>;
}) {
  return (
    <>
      <input
        type="text"
        id="leader"
        name="leader"
        maxlength={200}
        required
        value={props.value}
        list="leader-people"
        autocomplete="off"
        hx-get="/stories/new/leaders"
        hx-trigger="input changed delay:250ms"
        hx-target="#leader-matches"
        aria-controls="leader-matches"
        {...props.invalid}
      />
      <datalist id="leader-people">
        {props.names.map((n) => <option value={n} />)}
      </datalist>
      <div id="leader-matches" aria-live="polite">
        <LeaderMatches query={props.value} matches={props.matches} chosen={props.chosen} />
      </div>
    </>
  );
}
