/**
 * A story's plain text as paragraphs: split on blank lines, single line breaks kept. Every piece
 * is a JSX child, so it is escaped.
 */
export function StoryBody({ text }: { text: string }) {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return (
    <div class="story-body">
      {paragraphs.map((p) => {
        const lines = p.split('\n');
        return <p>{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</p>;
      })}
    </div>
  );
}
