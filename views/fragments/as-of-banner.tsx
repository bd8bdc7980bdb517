/**
 * The banner on a page showing the archive as it stood on a date ("Hallway as it stood on 4 March
 * 2021 — back to today"), with the date control that changes the date. The control is a plain GET
 * form on the same page: the page's other query parameters ride along as hidden fields.
 */
export interface AsOfBannerProps {
  date: string;
  label: string;
  /** the same page today (the path and query without asOf) */
  todayHref: string;
  path: string;
  /** the page's other query parameters, kept when the date changes */
  keep: [string, string][];
  /** today's date (the latest the control offers) */
  max: string;
}

export function AsOfBanner({ date, label, todayHref, path, keep, max }: AsOfBannerProps) {
  return (
    <aside class="as-of-banner" aria-label="Archive date">
      <p>
        <strong>Hallway as it stood on {label}</strong> — <a href={todayHref}>back to today</a>
      </p>
      <AsOfControl path={path} keep={keep} date={date} max={max} />
    </aside>
  );
}

export function AsOfControl({ path, keep, date, max }: { path: string; keep: [string, string][]; date: string; max: string }) {
  return (
    <form method="get" action={path} class="as-of-control">
      {keep.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label for="as-of-date">Show the archive as it stood on</label>
      <input type="date" id="as-of-date" name="asOf" value={date} max={max} min="1970-01-01" required />
      <button type="submit">Show</button>
    </form>
  );
}

/** A page for an `asOf` that is not a date, or a date after today (answered 422). */
export function AsOfProblem({ message, path, keep, max, todayHref }: { message: string; path: string; keep: [string, string][]; max: string; todayHref: string }) {
  return (
    <section class="narrow as-of-problem">
      <h1>That date cannot be shown</h1>
      <p class="error" role="alert">{message}</p>
      <AsOfControl path={path} keep={keep} date="" max={max} />
      <p>
        <a href={todayHref}>See this page as it stands today</a>
      </p>
    </section>
  );
}

/**
 * A page for a date still being put together (answered 503 with Retry-After and Refresh, so the
 * browser asks again by itself): the first page of a date that must be built from the log can take
 * minutes in a large archive, longer than a browser or a proxy waits for an answer.
 */
export function AsOfPreparing({ label, href, todayHref, seconds }: { label: string; href: string; todayHref: string; seconds: number }) {
  return (
    <section class="narrow as-of-preparing">
      <h1>Putting together the archive as it stood on {label}</h1>
      <p role="status">
        The first page for a date is made from the log up to that day, and in a large archive that takes a while. This page asks
        again by itself every {seconds} seconds; the pages of this date come at once after that.
      </p>
      <p>
        <a href={href}>Ask again now</a> · <a href={todayHref}>See this page as it stands today</a>
      </p>
    </section>
  );
}
