/**
 * A colleague picker with live search: typing in the search box asks /colleagues (htmx) for
 * matches, shown as radio buttons named `field`. Without JavaScript the typed name is posted with
 * the form and the server resolves it (or asks to choose among the matches).
 */
export interface Colleague {
  employeeId: string;
  name: string;
  department: string;
}

export function ColleagueResults({ field, matches, query, chosen }: { field: 'toId' | 'fromId'; matches: Colleague[]; query: string; chosen?: string | undefined }) {
  if (!query.trim()) return <p class="muted">Type part of a name.</p>;
  if (matches.length === 0) return <p class="muted">Nobody here matches “{query}”.</p>;
  return (
    <fieldset class="colleague-results">
      <legend>Choose a colleague</legend>
      {matches.map((m) => (
        <label class="choice">
          <input type="radio" name={field} value={m.employeeId} checked={chosen === m.employeeId || matches.length === 1} /> {m.name}{' '}
          <span class="muted">({m.department})</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ColleaguePicker(props: { field: 'toId' | 'fromId'; idPrefix: string; label: string; query?: string; matches?: Colleague[]; chosen?: string | undefined; error?: string | undefined }) {
  const q = `${props.field}Q`;
  const results = `${props.idPrefix}-results`;
  return (
    <div class="colleague-picker">
      <label for={`${props.idPrefix}-q`}>{props.label}</label>
      <input
        type="search"
        id={`${props.idPrefix}-q`}
        name={q}
        value={props.query ?? ''}
        autocomplete="off"
        hx-get="/colleagues"
        hx-trigger="input changed delay:250ms, search"
        hx-target={`#${results}`}
        aria-controls={results}
        aria-describedby={props.error ? `${props.idPrefix}-error` : undefined}
      />
      {props.error ? <span class="field-error" role="alert" id={`${props.idPrefix}-error`}>{props.error}</span> : null}
      <div id={results} aria-live="polite">
        {/* a refused form says "nobody matches" once, beside the field, not again here */}
        {props.query && !(props.error && (props.matches ?? []).length === 0) ? <ColleagueResults field={props.field} matches={props.matches ?? []} query={props.query} chosen={props.chosen} /> : null}
      </div>
    </div>
  );
}
