import type { ReceiptVerdict } from '../../src/chain/receipts.ts';

export interface VerifyPageProps {
  /** the receipt as pasted, shown again in the form */
  text?: string;
  error?: string;
  verdict?: ReceiptVerdict;
  /** whether this archive seals its log */
  sealing: boolean;
}

function Verdict({ verdict }: { verdict: ReceiptVerdict }) {
  if (verdict.verdict === 'unchanged') {
    return (
      <section class="verdict verdict-ok" role="status" aria-labelledby="verdict-heading">
        <h2 id="verdict-heading">In the log, unchanged</h2>
        {verdict.sealedBy !== undefined ? (
          <p>The story as told is in the log, unchanged, and the chain through it matches the seals (checked up to the seal at position {verdict.sealedBy}).</p>
        ) : (
          <p>
            The story as told is in the log, unchanged. No seal covers it yet{verdict.nextSeal !== undefined ? ` (the next comes at position ${verdict.nextSeal})` : ''}: check again later to have it matched against a seal.
          </p>
        )}
      </section>
    );
  }
  if (verdict.verdict === 'changed') {
    return (
      <section class="verdict verdict-bad" role="alert" aria-labelledby="verdict-heading">
        <h2 id="verdict-heading">Changed</h2>
        <p>The log no longer holds the story as told, or the log around it was changed: {verdict.why}. Tell your administrator; keep the receipt.</p>
      </section>
    );
  }
  return (
    <section class="verdict verdict-bad" role="alert" aria-labelledby="verdict-heading">
      <h2 id="verdict-heading">Missing</h2>
      <p>The event this receipt names is not in the log ({verdict.why}). Tell your administrator; keep the receipt.</p>
    </section>
  );
}

/** /verify: paste or upload a story receipt; the answer says whether the story is still in the log as told. */
export function VerifyPage(props: VerifyPageProps) {
  return (
    <section class="narrow verify-page">
      <h1>Check a receipt</h1>
      <p>
        After you tell a story, its page gives you a receipt. Paste it here, or choose the downloaded file, to check that the
        story as you told it is still in the archive's log, unchanged.
      </p>
      {props.sealing ? null : <p class="notice">This archive does not seal its log yet: a receipt is checked against the log alone.</p>}
      {props.verdict ? <Verdict verdict={props.verdict} /> : null}
      <form method="post" action="/verify" enctype="multipart/form-data" class="stack">
        <label for="receipt">Receipt (the text of the downloaded file)</label>
        <textarea id="receipt" name="receipt" rows={8} aria-describedby={props.error ? 'receipt-error' : undefined} aria-invalid={props.error ? 'true' : undefined}>
          {props.text ?? ''}
        </textarea>
        <label for="file">Or choose the receipt file</label>
        <input type="file" id="file" name="file" accept=".json,application/json" />
        {props.error ? <p id="receipt-error" class="field-error">{props.error}</p> : null}
        <button type="submit">Check</button>
      </form>
    </section>
  );
}
