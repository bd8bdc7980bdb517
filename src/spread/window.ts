import { z } from 'zod';
import { IsoDate } from '../../events/common.ts';

/**
 * The dashboard's window of recorded time [from, to): the last 7, 30 (default), 90 or 365 days,
 * all time, or from/to dates (both days included: `to` ends at the next midnight, UTC).
 */
export const PRESETS = ['7', '30', '90', '365', 'all'] as const;
export type Preset = (typeof PRESETS)[number];

export const WindowQuery = z
  .object({
    window: z.enum(PRESETS, { message: 'choose 7, 30, 90 or 365 days, or all time' }).optional(),
    from: z.union([z.literal(''), IsoDate]).optional(),
    to: z.union([z.literal(''), IsoDate]).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before "from"', path: ['to'] });
export type WindowQuery = z.infer<typeof WindowQuery>;

export interface ResolvedWindow {
  fromMs: number | null;
  toMs: number;
  label: string;
  /** the query string that reproduces it (for links and the CSV export) */
  query: string;
  preset: Preset | 'dates';
  from: string;
  to: string;
}

const DAY = 86_400_000;

export function resolveWindow(q: WindowQuery, now: Date): ResolvedWindow {
  const nowMs = now.getTime();
  if (q.from || q.to) {
    const fromMs = q.from ? Date.parse(`${q.from}T00:00:00Z`) : null;
    const toMs = q.to ? Date.parse(`${q.to}T00:00:00Z`) + DAY : nowMs;
    const params = new URLSearchParams();
    if (q.from) params.set('from', q.from);
    if (q.to) params.set('to', q.to);
    return {
      fromMs,
      toMs,
      label: `${q.from ? `from ${q.from}` : 'from the start'} ${q.to ? `to ${q.to}` : 'to now'}`,
      query: params.toString(),
      preset: 'dates',
      from: q.from ?? '',
      to: q.to ?? '',
    };
  }
  const preset = q.window ?? '30';
  if (preset === 'all') return { fromMs: null, toMs: nowMs, label: 'all time', query: 'window=all', preset, from: '', to: '' };
  return { fromMs: nowMs - Number(preset) * DAY, toMs: nowMs, label: `the last ${preset} days`, query: `window=${preset}`, preset, from: '', to: '' };
}
