/**
 * Fault matrix, delete column: an outage at each JD call of a delete (the describePod before
 * deletePod, deletePod, the describePod polls until JD Cloud has removed the pod). The delete is
 * journaled, so every cell ends with the pod gone from JD Cloud and from podgate, exactly once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { api, apiJson, createRunningPod, emulator } from '../support/gateway';
import {
  answer,
  driveJournal,
  FAULT_NAMES,
  freshCell,
  injectOutage,
  jdPodsNamed,
  journal,
  VersionTrail,
} from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const LABELS = { app: 'web' };

beforeEach(freshCell);

async function createRunning(trail: VersionTrail): Promise<void> {
  const { created, running } = await createRunningPod('web', LABELS);
  trail.see(created);
  trail.see(running);
}

/** DELETE during the outage: the pod, marked for deletion with its labels, or a Status. */
async function deleteDuringOutage(trail: VersionTrail): Promise<void> {
  const { code, body } = await answer(await api('DELETE', `${NS}/web`));
  trail.see(body);
  expect(code, JSON.stringify(body)).toBe(200);
  expect((body as Pod).metadata.deletionTimestamp).toBeTruthy();
  expect((body as Pod).metadata.labels).toEqual(LABELS);
}

/** A read during the outage: the pod being deleted, or a Status naming JD Cloud. */
async function readDuringOutage(trail: VersionTrail): Promise<void> {
  const { code, body } = await answer(await api('GET', `${NS}/web`));
  trail.see(body);
  if (code === 200) expect((body as Pod).metadata.deletionTimestamp).toBeTruthy();
  else {
    expect([404, 429, 503, 504]).toContain(code);
    if (code !== 404) expect((body as Status).message).toMatch(/JD Cloud/);
  }
}

async function expectGone(): Promise<void> {
  await emulator.clearFaults();
  await driveJournal();
  await emulator.settle();
  await driveJournal();
  await apiJson<Status>('GET', `${NS}/web`, 404);
  const list = await apiJson<PodList>('GET', NS, 200);
  expect(list.items).toEqual([]);
  expect(await journal()).toEqual([]);
  expect(await jdPodsNamed('web')).toHaveLength(0);
}

describe('delete under JD Cloud faults', { timeout: 30_000 }, () => {
  for (const fault of FAULT_NAMES) {
    it(`describePod ${fault} before deletePod: journaled, then deleted once`, async () => {
      const trail = new VersionTrail();
      await createRunning(trail);
      await injectOutage('describePod', fault);
      await deleteDuringOutage(trail);
      await readDuringOutage(trail);
      await expectGone();
    });

    it(`deletePod ${fault}: journaled, then deleted once`, async () => {
      const trail = new VersionTrail();
      await createRunning(trail);
      await injectOutage('deletePod', fault);
      await deleteDuringOutage(trail);
      await readDuringOutage(trail);
      await expectGone();
      // deletePod is never repeated blindly: at most once per journal step.
      expect((await emulator.calls('deletePod')).length).toBeLessThanOrEqual(3);
    });

    it(`describePod ${fault} while JD Cloud deletes: polled until gone`, async () => {
      const trail = new VersionTrail();
      await createRunning(trail);
      await deleteDuringOutage(trail);
      await injectOutage('describePod', fault);
      await readDuringOutage(trail);
      await driveJournal('default', 1);
      await expectGone();
      expect(await emulator.calls('deletePod')).toHaveLength(1);
    });
  }
});
