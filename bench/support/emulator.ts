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
    /**
     * Waits until the call log stops growing (the gateway's alarms have finished polling):
     * no new call for `quietMs`, at most `maxMs`. Returns the log.
     */
    async quiet(quietMs = 800, maxMs = 20_000): Promise<LoggedCall[]> {
      const deadline = Date.now() + maxMs;
      let last = (await calls()).length;
      let stableSince = Date.now();
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const now = (await calls()).length;
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
