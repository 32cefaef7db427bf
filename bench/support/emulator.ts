/** The emulator's control endpoints (`/__emulator/*`) the benchmarks use. */

export interface LoggedCall {
  operation: string;
  regionId: string;
  status: number;
}

export function emulatorControl(origin: string) {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}/__emulator/${path}`, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
    });
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const calls = async () => ((await control('GET', 'calls')) as { calls: LoggedCall[] }).calls;
  return {
    quota: (regionId: string, resourceType: 'pod' | 'container', limit: number) =>
      control('PUT', 'quota', { regionId, resourceType, limit }),
    calls,
    clearCalls: () => control('DELETE', 'calls'),
    /** JD's rate limit (calls per minute per key, 0 = off) and per-call latency, at runtime. */
    settings: (body: { callsPerMinute?: number; latencyMs?: number }) =>
      control('PUT', 'settings', body),
    /** Moves the emulator clock (and with it the rate limit's window). */
    advance: (ms: number) => control('POST', 'clock', { advanceMs: ms }),
    /** The most logged calls in any `windowMs` of the emulator clock. */
    async maxInWindow(windowMs: number): Promise<number> {
      const body = (await control('GET', `calls/rate?windowMs=${windowMs}`)) as {
        maxInWindow: number;
      };
      return body.maxInWindow;
    },
    /**
     * Waits until the call log stops growing (the gateway's alarms have finished polling):
     * no new call for `quietMs`, at most `maxMs`. Returns the log.
     */
    async quiet(quietMs = 800, maxMs = 20_000): Promise<LoggedCall[]> {
      const deadline = Date.now() + maxMs;
      // The log's length only (it keeps up to 20 000 calls): the whole log once, at the end.
      const logged = async () => ((await control('GET', 'calls/rate')) as { total: number }).total;
      let last = await logged();
      let stableSince = Date.now();
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const now = await logged();
        if (now !== last) {
          last = now;
          stableSince = Date.now();
        } else if (Date.now() - stableSince >= quietMs) break;
      }
      return calls();
    },
  };
}

export type EmulatorControl = ReturnType<typeof emulatorControl>;

/** `describePod ×2, createPods ×1` style summary, operations sorted. */
export function summarize(calls: readonly LoggedCall[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ×${n}`)
    .join(', ');
}
