/**
 * Progress of a long import or rebuild on stderr ("\r12,345 / 100,000 events, 45,678 events/s"),
 * only when stderr is a terminal, so scripts and logs see the final summary alone.
 */
export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr, everyMs = 250): Progress {
  if (!stream.isTTY) return { update() {}, end() {} };
  const started = Date.now();
  let shown = 0;
  let wrote = false;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return {
    update(done, total) {
      const now = Date.now();
      if (now - shown < everyMs && done < total) return;
      shown = now;
      const rate = Math.round(done / Math.max((now - started) / 1000, 0.001));
      stream.write(`\r${label}: ${fmt(done)} / ${fmt(total)} events, ${fmt(rate)} events/s   `);
      wrote = true;
    },
    end() {
      if (wrote) stream.write('\n');
    },
  };
}
