/**
 * A read-only text to copy (an invitation link): selectable by hand, and with JavaScript a
 * "Copy" button (hidden until public/hallway.js shows it, since it does nothing without script)
 * that says "Copied" in a live region beside it.
 */
export function CopyField({ id, value, label }: { id: string; value: string; label: string }) {
  return (
    <span class="copy-field">
      <input type="text" readonly value={value} id={id} aria-label={label} class="copy" />
      <button type="button" class="secondary" data-copy-for={id} hidden>
        Copy<span class="sr-only"> {label.toLowerCase()}</span>
      </button>
      <span class="copy-status" role="status" aria-live="polite" data-copy-status={id}></span>
    </span>
  );
}
