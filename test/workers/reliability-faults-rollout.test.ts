/**
 * Fault matrix, image rollout column: an outage at each JD call a rollout makes (describePod,
 * stopPod, rebuildPod, startPod). The PATCH only journals the rollout (no JD call); every call,
 * the first describePod and stopPod included, is made by the alarm's steps. The rollout is a
 * journaled reconciliation, so every cell ends with the new image running: each JD action taken
 * once, one JD pod, labels and annotations intact, resourceVersions that never go back, and a
 * stopped pod always said to be so.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { jdOperations } from '../support/gateway';
import { FAULT_NAMES, freshCell, injectOutage, VersionTrail } from '../support/reliability';
import {
  expectRolledOutOnce,
  expectTruthfulRead,
  patchImage,
  rollToEnd,
  runningPod,
} from '../support/reliability-rollout';

beforeEach(freshCell);

describe('image rollout under JD Cloud faults', { timeout: 30_000 }, () => {
  for (const operation of ['describePod', 'stopPod', 'rebuildPod', 'startPod']) {
    for (const fault of FAULT_NAMES) {
      it(`${operation} ${fault}: the rollout finishes, each action once`, async () => {
        const trail = new VersionTrail();
        await runningPod(trail);
        await injectOutage(operation, fault);
        await patchImage(trail);
        expect(await jdOperations()).toEqual([]);
        await expectTruthfulRead(trail);
        await rollToEnd(trail);
        await expectRolledOutOnce(trail);
      });
    }
  }
});
