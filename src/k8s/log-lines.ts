/**
 * Turning JD Cloud's one-shot log reads into `logs -f` and `timestamps=true`. Pure.
 *
 * JD's getContainerLogs answers at most 4 KB of a time window (`sinceSeconds`, whole seconds)
 * and carries no per-line time. A follow loop therefore reads overlapping windows and keeps
 * only what follows the overlap: the new read's first lines that repeat the end of the previous
 * read are dropped ({@link unseenLines}). Where lines start with their own RFC 3339 time (most
 * loggers, and the emulator) the overlap is exact; where they do not, a line identical to the
 * ones just before it inside the overlap (a few seconds) can be taken for one already shown.
 */

/** Complete lines of `text` (each with its `\n`), and the unterminated rest. */
export function splitLines(text: string): { lines: string[]; rest: string } {
  const lines = text.split(/(?<=\n)/);
  const last = lines.at(-1);
  if (last !== undefined && !last.endsWith('\n')) {
    lines.pop();
    return { lines, rest: last };
  }
  return { lines, rest: '' };
}

/**
 * The lines of `next` not already in `previous`. The windows overlap, so `next` holds the end
 * of `previous` (and, after a `tailLines` first read, older lines before it): find where the
 * last line of `previous` sits in `next`, matched backwards as far as either read goes, and
 * keep what follows. The longest such match wins (the earliest among equals), so no line is
 * shown twice.
 */
export function unseenLines(previous: readonly string[], next: readonly string[]): string[] {
  const last = previous.length - 1;
  if (last < 0) return [...next];
  let best = -1;
  let bestRun = 0;
  for (let q = 0; q < next.length; q++) {
    if (next[q] !== previous[last]) continue;
    let run = 1;
    while (run <= q && run <= last && next[q - run] === previous[last - run]) run++;
    // A real overlap reaches the start of one of the two reads; anything else is a repeat.
    const reachesStart = run === previous.length || run === q + 1;
    if (reachesStart && run > bestRun) {
      best = q;
      bestRun = run;
    }
  }
  return best < 0 ? [...next] : next.slice(best + 1);
}

const LEADING_TIME =
  /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))\s?/;

/** RFC 3339 with nanoseconds in UTC, as the kubelet writes `timestamps=true`. */
export function rfc3339Nano(ms: number, fraction?: string): string {
  const iso = new Date(ms).toISOString();
  const nanos = (fraction ?? iso.slice(20, 23)).padEnd(9, '0');
  return `${iso.slice(0, 19)}.${nanos}Z`;
}

/**
 * `timestamps=true` for one line: the time the line starts with, when it starts with an RFC 3339
 * time (kept to the nanosecond), else `readAt` — when podgate read it, an upper bound.
 */
export function stampLine(line: string, readAt: number): string {
  const match = LEADING_TIME.exec(line);
  if (match?.[1]) {
    const ms = Date.parse(match[1].replace(' ', 'T'));
    if (Number.isFinite(ms)) {
      const fraction = /\.(\d{1,9})/.exec(match[1])?.[1];
      // A fraction is only exact for a UTC time; otherwise take the millisecond one.
      const utc = match[1].endsWith('Z');
      return `${rfc3339Nano(ms, utc ? fraction : undefined)} ${line}`;
    }
  }
  return `${rfc3339Nano(readAt)} ${line}`;
}

/** `sinceTime` as the whole seconds JD's `sinceSeconds` takes (at least 1), from `now`. */
export function sinceSecondsOf(sinceTime: string, now: number): number | undefined {
  const ms = Date.parse(sinceTime);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(sinceTime)) return undefined;
  return Math.max(1, Math.ceil((now - ms) / 1000));
}
