/**
 * The gateway-wide JD call budget, through the gateway: several namespaces share one budget,
 * reads past it wait for the window rather than fail, and a 429 RATE_LIMIT from JD Cloud slows
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
  it('holds across namespaces: reads past it wait for the window, none fails', async () => {
    await jdBudget.reset(20);
    await emulator.clearCalls();
    let answered = 0;
    // Reads of distinct pods (concurrent reads of one pod share one JD call): each pod is not
    // stored, so each read asks JD Cloud for it by name, and answers 404.
    const reads = NAMESPACES.flatMap((ns) =>
      Array.from({ length: 15 }, (_, i) =>
        api('GET', `${podsOf(ns)}/missing-${i}`).then(async (res) => {
          answered++;
          return { status: res.status, body: await res.text() };
        }),
      ),
    );
    // Reads may fill 90 % of the budget (18 of 20); the rest wait for room.
    await until(async () => (await jdBudget.usage()).used >= 18, 'the budget is spent');
    await until(async () => (await emulator.calls()).length >= 18, 'the granted calls are made');
    expect(answered).toBeLessThan(30);
    await jdBudget.advance(65_000);
    const answers = await Promise.all(reads);
    expect(answers.filter((a) => a.status !== 404)).toEqual([]);
    const calls = await emulator.calls();
    expect(calls.length).toBeGreaterThanOrEqual(30);
    expect(await emulator.maxCallsInWindow(60_000)).toBeLessThanOrEqual(20);
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
