import { SETTINGS } from '../../events/circulation.ts';
import type { CirculationCounters } from '../../src/read/spread.ts';
import type { Colleague } from './colleague-picker.tsx';
import { ColleaguePicker } from './colleague-picker.tsx';
import { Icon } from '../components/icon.tsx';
import { When } from '../components/when.tsx';
import { plural } from '../components/format.ts';

const SETTING_LABELS: Record<(typeof SETTINGS)[number], string> = {
  conversation: 'In a conversation',
  meeting: 'In a meeting',
  onboarding: 'During onboarding',
  customer: 'From or with a customer',
  other: 'Somewhere else',
};

export interface PanelState {
  /** which form the state belongs to */
  form?: 'heard' | 'share';
  errors?: Record<string, string>;
  values?: { setting?: string; fromIdQ?: string; toIdQ?: string; fromId?: string; toId?: string };
  matches?: Colleague[];
  message?: string;
}

/**
 * The story page's circulation controls and counters ("I've heard this one", "Send to a
 * colleague", "Retell it"). The story page (stories area) renders it; each form is one htmx
 * request that answers with this whole panel, counters updated (422 with messages beside fields).
 * Counters are totals only: nobody's reading is shown to anyone else. The caller reads them
 * (src/read/spread.ts `circulationCounters`) and passes them in: a view never queries.
 */
export function CirculationPanel(props: {
  counters: CirculationCounters;
  storyId: string;
  state?: PanelState;
  /** when the viewer last said they had heard it (their own state; null: never) */
  heard?: { at: string } | null;
  /** for the teller only: how far their story went, numbers never names */
  reach?: { people: number; departments: number };
  /** the instant "you said so 3 days ago" is relative to (default: the time of rendering) */
  now?: Date;
}) {
  const { storyId, heard, reach } = props;
  const s = props.state ?? {};
  const { reached, touches } = props.counters;
  const e = s.errors ?? {};
  const heardErr = s.form === 'heard' ? e : {};
  const shareErr = s.form === 'share' ? e : {};
  const base = `/stories/${encodeURIComponent(storyId)}`;
  return (
    <section id="circulation" class="circulation" aria-labelledby="circulation-title">
      <h2 id="circulation-title">How this story travels</h2>
      <p class="counters">
        <strong class="count-reached">{reached}</strong> {reached === 1 ? 'colleague has' : 'colleagues have'} come across it
        {' · '}
        <strong class="count-touches">{touches}</strong> {touches === 1 ? 'time' : 'times'} in all
      </p>
      {reach ? (
        <p class="reach">
          Your story has reached <strong class="reach-people">{plural(reach.people, 'person', 'people')}</strong> in{' '}
          <strong class="reach-departments">{plural(reach.departments, 'department', 'departments')}</strong>.{' '}
          <span class="muted">Only you see this; nobody is named.</span>
        </p>
      ) : null}
      {s.message ? <p class="notice" role="status">{s.message}</p> : null}
      <div class="circulation-actions">
        <form method="post" action={`${base}/heard`} hx-post={`${base}/heard`} hx-target="#circulation" hx-swap="outerHTML" class="circulation-form">
          <h3>I've heard this one</h3>
          {heard ? (
            <p class="heard-state">
              <Icon name="list-checks" /> You have heard this one: you said so <When at={heard.at} {...(props.now ? { now: props.now } : {})} />.
            </p>
          ) : null}
          {heardErr['form'] ? <p class="error" role="alert">{heardErr['form']}</p> : null}
          <label for="heard-setting">Where did you hear it?</label>
          <select id="heard-setting" name="setting" aria-describedby={heardErr['setting'] ? 'heard-setting-error' : undefined}>
            {SETTINGS.map((v) => (
              <option value={v} selected={s.values?.setting === v}>{SETTING_LABELS[v]}</option>
            ))}
          </select>
          {heardErr['setting'] ? <span class="field-error" role="alert" id="heard-setting-error">{heardErr['setting']}</span> : null}
          <ColleaguePicker
            field="fromId"
            idPrefix="heard-from"
            label="From whom? (optional)"
            query={s.form === 'heard' ? s.values?.fromIdQ : undefined}
            matches={s.form === 'heard' ? s.matches : undefined}
            chosen={s.values?.fromId}
            error={heardErr['fromId']}
          />
          <button type="submit">I've heard this one</button>
        </form>
        <form method="post" action={`${base}/share`} hx-post={`${base}/share`} hx-target="#circulation" hx-swap="outerHTML" class="circulation-form">
          <h3>Send to a colleague</h3>
          {shareErr['form'] ? <p class="error" role="alert">{shareErr['form']}</p> : null}
          <ColleaguePicker
            field="toId"
            idPrefix="share-to"
            label="Colleague"
            query={s.form === 'share' ? s.values?.toIdQ : undefined}
            matches={s.form === 'share' ? s.matches : undefined}
            chosen={s.values?.toId}
            error={shareErr['toId']}
          />
          <button type="submit">Send</button>
        </form>
        <p class="retell">
          <a class="button secondary" href={`/stories/new?retellingOf=${encodeURIComponent(storyId)}`}>Retell it</a>
        </p>
      </div>
    </section>
  );
}
