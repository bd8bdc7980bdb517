/**
 * What each email says, as plain text and as HTML. Pure: the caller gives every name, title and
 * link. Every email has a plain-text part, the unsubscribe link in its footer (the outbox also
 * sends it as List-Unsubscribe), and nothing fetched from elsewhere: no images, no tracking pixel,
 * no remote stylesheet, only links. In the HTML part everything a person typed (names, titles) is
 * escaped; links are Hallway's own URLs, escaped too.
 */

export interface Composed {
  subject: string;
  text: string;
  html: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

/** Subjects are one line: a typed name cannot add a header (nodemailer encodes the rest). */
const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ').trim().slice(0, 200);

interface Footer {
  why: string;
  unsubscribeUrl: string;
  unsubscribeLabel: string;
  settingsUrl?: string;
}

function textFooter(f: Footer): string {
  return ['', '-- ', f.why, `${f.unsubscribeLabel}: ${f.unsubscribeUrl}`, ...(f.settingsUrl ? [`Choose which emails you get: ${f.settingsUrl}`] : [])].join('\n');
}

const a = (url: string, label: string): string => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;

function htmlPage(body: string, f: Footer): string {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f1d1a; max-width: 36em;">',
    body,
    '<hr style="border: none; border-top: 1px solid #ccc; margin-top: 2em;">',
    `<p style="font-size: 0.85em; color: #555;">${escapeHtml(f.why)}<br>${a(f.unsubscribeUrl, f.unsubscribeLabel)}${f.settingsUrl ? ` · ${a(f.settingsUrl, 'Choose which emails you get')}` : ''}</p>`,
    '</body></html>',
  ].join('\n');
}

const when = (d: Date): string => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function invitationEmail(p: { name: string; url: string; expiresAt: Date; unsubscribeUrl: string }): Composed {
  const footer: Footer = {
    why: 'You get this email because an admin of Hallway invited you.',
    unsubscribeUrl: p.unsubscribeUrl,
    unsubscribeLabel: 'Get no notifications or digests from Hallway',
  };
  const text = [
    `Hello ${p.name},`,
    '',
    'You are invited to Hallway, the archive of the stories people here tell about their leaders.',
    `Choose your password with this link (it works once, until ${when(p.expiresAt)}):`,
    '',
    p.url,
    textFooter(footer),
  ].join('\n');
  const html = htmlPage(
    [
      `<p>Hello ${escapeHtml(p.name)},</p>`,
      '<p>You are invited to Hallway, the archive of the stories people here tell about their leaders.</p>',
      `<p>${a(p.url, 'Choose your password')} (the link works once, until ${escapeHtml(when(p.expiresAt))}):<br>${escapeHtml(p.url)}</p>`,
    ].join('\n'),
    footer,
  );
  return { subject: 'You are invited to Hallway', text, html };
}

export function sharedEmail(p: { fromName: string; title: string; storyUrl: string; unsubscribeUrl: string; settingsUrl: string }): Composed {
  const footer: Footer = {
    why: 'You get this email because a colleague sent you a story on Hallway.',
    unsubscribeUrl: p.unsubscribeUrl,
    unsubscribeLabel: 'Stop emails about stories sent to you',
    settingsUrl: p.settingsUrl,
  };
  const text = [`${p.fromName} sent you a story on Hallway:`, '', `“${p.title}”`, `Read it: ${p.storyUrl}`, textFooter(footer)].join('\n');
  const html = htmlPage(
    [`<p>${escapeHtml(p.fromName)} sent you a story on Hallway:</p>`, `<p><strong>${a(p.storyUrl, p.title)}</strong></p>`].join('\n'),
    footer,
  );
  return { subject: oneLine(`${p.fromName} sent you a story on Hallway`), text, html };
}

export interface DigestStory {
  title: string;
  url: string;
  /** people it reached during the week */
  people: number;
}

export function digestEmail(p: {
  name: string;
  departmentName: string;
  weekOf: string;
  department: DigestStory[];
  company: DigestStory[];
  unsubscribeUrl: string;
  settingsUrl: string;
}): Composed {
  const footer: Footer = {
    why: 'You get this weekly digest because the admins of Hallway turned it on.',
    unsubscribeUrl: p.unsubscribeUrl,
    unsubscribeLabel: 'Stop the weekly digest',
    settingsUrl: p.settingsUrl,
  };
  const people = (n: number): string => (n === 1 ? '1 person' : `${n} people`);
  const textList = (stories: DigestStory[]): string[] =>
    stories.length === 0 ? ['  (nothing new this week)'] : stories.flatMap((s) => [`- ${s.title} (reached ${people(s.people)})`, `  ${s.url}`]);
  const htmlList = (stories: DigestStory[]): string =>
    stories.length === 0
      ? '<p>Nothing new this week.</p>'
      : `<ul>${stories.map((s) => `<li>${a(s.url, s.title)} (reached ${people(s.people)})</li>`).join('')}</ul>`;
  const text = [
    `Hello ${p.name},`,
    '',
    `The stories going around in the week of ${p.weekOf}.`,
    '',
    `In ${p.departmentName}:`,
    ...textList(p.department),
    '',
    'Across the company:',
    ...textList(p.company),
    textFooter(footer),
  ].join('\n');
  const html = htmlPage(
    [
      `<p>Hello ${escapeHtml(p.name)},</p>`,
      `<p>The stories going around in the week of ${escapeHtml(p.weekOf)}.</p>`,
      `<h2 style="font-size: 1.1em;">In ${escapeHtml(p.departmentName)}</h2>`,
      htmlList(p.department),
      '<h2 style="font-size: 1.1em;">Across the company</h2>',
      htmlList(p.company),
    ].join('\n'),
    footer,
  );
  return { subject: `Hallway: the stories going around, week of ${p.weekOf}`, text, html };
}
