/** Messages for a form's fields, keyed by field name; `_form` is for the form as a whole. */
export type FieldErrors = Record<string, string>;

export interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  value?: string | undefined;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  /** id prefix, when a page has several forms with the same field names */
  idPrefix?: string;
}

/** A labelled input with its message beside it (and tied to it for screen readers). */
export function Field({ name, label, errors, value, type = 'text', required = true, autocomplete, hint, idPrefix = '' }: FieldProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <span class="muted hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={type === 'password' ? '' : value ?? ''}
        required={required}
        {...(autocomplete ? { autocomplete } : {})}
        {...(described ? { 'aria-describedby': described } : {})}
        {...(error ? { 'aria-invalid': 'true' } : {})}
      />
      <FieldError id={id} label={label} error={error} />
    </div>
  );
}

/** A field's message, with the id its input's aria-describedby points at. */
export function FieldError({ id, label, error }: { id: string; label: string; error?: string | undefined }) {
  return error ? (
    <span class="field-error" id={`${id}-error`}>
      {label} {error}
    </span>
  ) : null;
}

export function FormError({ errors }: { errors?: FieldErrors | undefined }) {
  return errors?.['_form'] ? (
    <p class="error" role="alert">
      {errors['_form']}
    </p>
  ) : null;
}
