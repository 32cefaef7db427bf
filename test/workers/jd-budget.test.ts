/**
 * The gateway-wide JD call budget, through the gateway: several namespaces share one budget,
 * reads past it are answered from storage (with a warning) rather than wait or fail, and a 429 RATE_LIMIT from JD Cloud slows
 * the gateway down without failing the read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, apiJson, emulator, podManifest, resetGateway } from '../support/gateway';
import { jdBudget } from '../support/jd-budget';

const NAMESPACES = ['default', 'staging'];
const podsOf = (ns: string) => `/api/v1/namespaces/${ns}/pods`;

beforeEach(async () => {
  await emulator.reset();
  await resetGateway(NAMESPACES);
  await jdBudget.reset(1_000_000);
  for (const ns of NAMESPACES) {
    await apiJson('POST', podsOf(ns), 201, { body: podManifest('web') });
  }
  await emulator.settle();
});

afterEach(() => jdBudget.reset(1_000_000));

/** Waits (by asking, not by sleeping a fixed time) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('the JD call budget', () => {
  it('holds across namespaces: reads past it are served from storage, none fails', async () => {
    await jdBudget.reset(20);
    await emulator.clearCalls();
    // Every read here asks for fresh state (freshness 0 in this project), so each round of
    // concurrent reads makes one shared sync per namespace, until the budget is spent.
    const answers: { status: number; warning: string | null }[] = [];
    for (let round = 0; round < 15; round++) {
      const reads = NAMESPACES.flatMap((ns) =>
        Array.from({ length: 4 }, () => api('GET', `${podsOf(ns)}/web`)),
      );
      for (const res of await Promise.all(reads)) {
        answers.push({ status: res.status, warning: res.headers.get('warning') });
        await res.body?.cancel();
      }
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Reads may fill 90 % of the budget (18 of 20); past that they did not wait: storage
    // answered, saying how old it is.
    expect((await jdBudget.usage()).used).toBeLessThanOrEqual(20);
    const stale = answers.filter((a) => /could not refresh from JD Cloud/.test(a.warning ?? ''));
    expect(stale.length).toBeGreaterThan(0);
    expect(await emulator.maxCallsInWindow(60_000)).toBeLessThanOrEqual(18);
    // A pod podgate does not know cannot come from storage: 429 with Retry-After, not a 5xx.
    const unknown = await api('GET', `${podsOf('staging')}/missing`);
    expect(unknown.status).toBe(429);
    expect(unknown.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('a 429 RATE_LIMIT from JD slows the gateway down and fails no read', async () => {
    await emulator.settings({ callsPerMinute: 3 });
    await emulator.clearCalls();
    for (let i = 0; i < 3; i++) await apiJson('GET', `${podsOf('default')}/web`, 200);
    const read = api('GET', `${podsOf('staging')}/web`);
    await until(
      async () => (await emulator.calls()).some((c) => c.status === 429),
      'JD refuses a call',
    );
    // The budget pauses, then runs at half speed for a minute.
    const slowed = await jdBudget.usage();
    expect(slowed.ceiling).toBe(500_000);
    await jdBudget.advance(60_000);
    const res = await read;
    expect(res.status, await res.clone().text()).toBe(200);
  });
});
