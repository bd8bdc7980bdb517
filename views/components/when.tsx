import { formatInstant, formatRelative } from './format.ts';

/** An instant shown relative when recent ("3 days ago"), with the exact time on hover. */
export function When({ at, now }: { at: string; now?: Date }) {
  return (
    <time datetime={at} title={formatInstant(at)}>
      {formatRelative(at, now)}
    </time>
  );
}
