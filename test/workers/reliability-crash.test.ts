/**
 * Crash recovery: the namespace Durable Object is aborted (in-memory state gone, storage kept)
 * at each step of an image rollout, between steps and while a step's JD call is in flight. The
 * rollout resumes from its journal and finishes exactly once.
 */
import { abortAllDurableObjects, evictAllDurableObjects } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { emulator } from '../support/gateway';
import { driveJournal, freshCell, VersionTrail } from '../support/reliability';
import {
  expectRolledOutOnce,
  patchImage,
  rollToEnd,
  runningPod,
} from '../support/reliability-rollout';

beforeEach(freshCell);

/** Aborting a Durable Object rejects whatever was running in it: that is the crash. */
const crash = () => abortAllDurableObjects().catch(() => undefined);

describe('the rollout survives the namespace object crashing', { timeout: 30_000 }, () => {
  it('aborted before every step: resumes and finishes once', async () => {
    const trail = new VersionTrail();
    await runningPod(trail);
    await patchImage(trail);
    await rollToEnd(trail, crash);
    await expectRolledOutOnce(trail);
  });

  it('evicted before every step: resumes and finishes once', async () => {
    const trail = new VersionTrail();
    await runningPod(trail);
    await patchImage(trail);
    await rollToEnd(trail, () => evictAllDurableObjects());
    await expectRolledOutOnce(trail);
  });

  for (const operation of ['stopPod', 'rebuildPod', 'startPod']) {
    it(`aborted while ${operation} is in flight: resumes and finishes once`, async () => {
      const trail = new VersionTrail();
      await runningPod(trail);
      // stopPod first runs inline with the PATCH: refuse that one, so the alarm makes the call.
      if (operation === 'stopPod') await emulator.fault('stopPod', { status: 503 });
      // The call hangs in the emulator (JD Cloud has not acted); the object dies meanwhile.
      await emulator.fault(operation, { hang: true, hangMs: 1_000 });
      await patchImage(trail);
      let crashedInFlight = false;
      for (let round = 0; round < 8 && !crashedInFlight; round++) {
        await emulator.settle();
        const step = driveJournal('default', 1).catch(() => undefined);
        crashedInFlight = await waitForHang(operation);
        if (crashedInFlight) await crash();
        await step;
      }
      expect(crashedInFlight).toBe(true);
      await rollToEnd(trail);
      await expectRolledOutOnce(trail);
    });
  }
});

/** Whether the emulator has taken the hanging call (bounded wait: 40 × 10 ms, under the client's timeout). */
async function waitForHang(operation: string): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const calls = (await emulator.calls(operation)) as { fault?: string | null }[];
    if (calls.some((c) => c.fault === 'hang')) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}
