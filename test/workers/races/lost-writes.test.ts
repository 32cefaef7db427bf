/**
 * No lost writes: requests interleaved with JD Cloud calls that have already acted but whose
 * answers the emulator holds (`holdAfterActing`), so each race is taken the same way every run.
 * Every case ends with the invariants: the stored pod holds every accepted write, JD Cloud has no
 * pod left once a DELETE was accepted, and the watch history shows each change once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList } from '../../../src/k8s/pod';
import type { Status } from '../../../src/k8s/status';
import { api, apiJson, createRunningPod, emulator, podManifest } from '../../support/gateway';
import { holdAfterActing } from '../../support/held-answers';
import {
  driveJournal,
  eventTypesAfter,
  freshCell,
  jdPodsNamed,
  journal,
} from '../../support/reliability';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(freshCell);

const labelPatch = (labels: Record<string, string>) =>
  api('PATCH', `${NS}/web`, {
    contentType: 'application/merge-patch+json',
    body: { metadata: { labels } },
  });

const imagePatch = (image: string) =>
  api('PATCH', `${NS}/web`, {
    contentType: 'application/strategic-merge-patch+json',
    body: { spec: { containers: [{ name: 'app', image }] } },
  });

/** Lets JD Cloud finish whatever is in motion and runs the journal until it is empty. */
async function finishEverything(): Promise<void> {
  for (let i = 0; i < 6 && (await journal()).length > 0; i++) {
    await emulator.settle();
    await driveJournal();
  }
  await emulator.settle();
  expect(await journal()).toEqual([]);
}

/** The end of a race in which a DELETE was accepted: gone from podgate and from JD Cloud. */
async function expectDeletedEverywhere(): Promise<void> {
  await finishEverything();
  await apiJson<Status>('GET', `${NS}/web`, 404);
  expect((await apiJson<PodList>('GET', NS, 200)).items).toEqual([]);
  expect(await jdPodsNamed('web')).toEqual([]);
  const events = await eventTypesAfter('web');
  expect(events.filter((t) => t === 'ADDED')).toHaveLength(1);
  expect(events.at(-1)).toBe('DELETED');
  expect(events.filter((t) => t === 'DELETED')).toHaveLength(1);
}

/** A create JD Cloud could not take (503 through every client retry): stored, journaled. */
async function createJournaled(labels = { app: 'web' }): Promise<Pod> {
  await emulator.fault('createPods', { status: 503, count: 4 });
  const created = await apiJson('POST', NS, 201, { body: podManifest('web', {}, labels) });
  expect(await journal()).toEqual(['web:create']);
  return created;
}

describe('a listing answered before a delete completed', () => {
  it('does not bring the deleted pod back (the hanging kubectl delete)', async () => {
    await createRunningPod('web');
    await apiJson('DELETE', `${NS}/web`, 200);
    // kubectl's wait lists the pod; JD answers while the pod is still deleting …
    const gate = await holdAfterActing('describePods');
    const listing = api('GET', NS);
    await gate.acted();
    // … and before the answer arrives, JD finishes and the journal commits DELETED.
    await emulator.settle();
    await driveJournal();
    expect(await eventTypesAfter('web')).toContain('DELETED');
    await gate.release();
    const list = (await (await listing).json()) as PodList;
    expect(list.items.map((p) => p.metadata.name)).toEqual([]);
    // Were the stale listing to adopt the pod again, nothing would ever delete it: kubectl
    // would see it back and wait forever.
    await apiJson<Status>('GET', `${NS}/web`, 404);
    expect((await eventTypesAfter('web')).at(-1)).toBe('DELETED');
  });
});

describe('DELETE while JD Cloud carries out another call', () => {
  for (const action of ['stop', 'start'] as const) {
    it(`during an in-flight ${action}: JD Cloud ends with the pod deleted`, async () => {
      await createRunningPod('web');
      if (action === 'start') {
        await apiJson('POST', `${NS}/web/stop`, 200);
        await finishEverything();
      }
      const gate = await holdAfterActing(`${action}Pod`);
      const acting = api('POST', `${NS}/web/${action}`);
      await gate.acted();
      const deleted = await apiJson('DELETE', `${NS}/web`, 200);
      expect(deleted.metadata.deletionTimestamp).toBeTruthy();
      await gate.release();
      expect((await acting).status).toBe(200);
      // The stop's "follow the transition" must not have replaced the delete.
      expect(await journal()).toEqual(['web:delete']);
      await expectDeletedEverywhere();
    });
  }

  it('during an in-flight rebuild: the rollout yields to the delete', async () => {
    await createRunningPod('web');
    expect((await imagePatch('nginx:1.27')).status).toBe(200);
    await driveJournal('default', 1); // stopPod
    await emulator.settle();
    const gate = await holdAfterActing('rebuildPod');
    const step = driveJournal('default', 1);
    await gate.acted();
    await apiJson('DELETE', `${NS}/web`, 200);
    expect(await journal()).toEqual(['web:delete']);
    await gate.release();
    await step;
    expect(await journal()).toEqual(['web:delete']);
    await expectDeletedEverywhere();
  });

  it('during an in-flight createPods retry: the pod JD Cloud made is deleted too', async () => {
    await createJournaled();
    const gate = await holdAfterActing('createPods');
    const step = driveJournal('default', 1);
    await gate.acted();
    // JD Cloud has the pod; podgate has not heard. The delete must wait for the answer rather
    // than forget a pod that would keep running and billing.
    const deleted = await apiJson('DELETE', `${NS}/web`, 200);
    expect(deleted.metadata.deletionTimestamp).toBeTruthy();
    expect(await jdPodsNamed('web')).toHaveLength(1);
    await gate.release();
    await step;
    await expectDeletedEverywhere();
  });
});

describe('label PATCH while JD Cloud carries out a call', () => {
  it('during a createPods retry: the label survives the retry commit', async () => {
    await createJournaled();
    const gate = await holdAfterActing('createPods');
    const step = driveJournal('default', 1);
    await gate.acted();
    expect((await labelPatch({ tier: 'front' })).status).toBe(200);
    await gate.release();
    await step;
    await finishEverything();
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(pod.status.phase).toBe('Running');
    expect((await eventTypesAfter('web')).filter((t) => t === 'ADDED')).toHaveLength(1);
  });

  for (const op of ['stopPod', 'rebuildPod', 'startPod'] as const) {
    it(`during the rollout's ${op}: label and new image both hold`, async () => {
      await createRunningPod('web', { app: 'web' });
      expect((await imagePatch('nginx:1.27')).status).toBe(200);
      const gate = await holdAfterActing(op);
      let step: Promise<void> | undefined;
      for (let i = 0; i < 4 && !step; i++) {
        const next = driveJournal('default', 1);
        const acted = await Promise.race([gate.acted().then(() => true), next.then(() => false)]);
        if (acted) step = next;
        else await emulator.settle();
      }
      expect(step, `${op} never ran`).toBeDefined();
      expect((await labelPatch({ tier: 'front' })).status).toBe(200);
      await gate.release();
      await step;
      await finishEverything();
      const pod = await apiJson('GET', `${NS}/web`, 200);
      expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.27');
      expect(pod.status.phase).toBe('Running');
    });
  }
});

describe('image PATCH during a delete', () => {
  it('is refused with 409 and does not undo the delete', async () => {
    await createRunningPod('web');
    const gate = await holdAfterActing('deletePod');
    const deleting = api('DELETE', `${NS}/web`);
    await gate.acted();
    const refused = await imagePatch('nginx:1.27');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Status).message).toMatch(/being deleted/);
    await gate.release();
    expect((await deleting).status).toBe(200);
    await expectDeletedEverywhere();
  });
});

describe('LIST during a create', () => {
  it('does not adopt the pod whose createPods is in flight', async () => {
    const gate = await holdAfterActing('createPods');
    const creating = api('POST', NS, { body: podManifest('web', {}, { app: 'web' }) });
    await gate.acted();
    const list = await api('GET', NS);
    expect(list.headers.get('warning')).toBeNull();
    expect(((await list.json()) as PodList).items).toEqual([]);
    await gate.release();
    expect((await creating).status).toBe(201);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect((await eventTypesAfter('web')).filter((t) => t === 'ADDED')).toHaveLength(1);
  });
});
