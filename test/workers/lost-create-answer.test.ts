/**
 * A createPods that JD Cloud carried out but whose every answer was lost (each attempt acted, then
 * outlived the client's 0.5 s timeout). A DELETE then must not forget the pod on podgate's word
 * alone: it finds JD's pod by name and uid tag and deletes it, so nothing is left running.
 */
import { beforeEach, expect, it } from 'vitest';
import type { PodList } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { apiJson, emulator, podManifest } from '../support/gateway';
import { driveJournal, freshCell, jdPodsNamed, journal } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(freshCell);

it('a DELETE finds and deletes the pod a lost createPods answer made', {
  timeout: 30_000,
}, async () => {
  // Every attempt of the request and of the first retry acts at JD Cloud (the same pod: one
  // clientToken), and answers after the client has given up.
  await emulator.fault('createPods', { holdAfter: true, hangMs: 1_500, count: 8 });
  await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
  await driveJournal('default', 1);
  expect(await journal()).toEqual(['web:create']);
  expect(await jdPodsNamed('web')).toHaveLength(1);
  await emulator.clearFaults();

  await apiJson('DELETE', `${NS}/web`, 200);
  for (let i = 0; i < 4 && (await journal()).length; i++) {
    await emulator.settle();
    await driveJournal();
  }
  await emulator.settle();
  await apiJson<Status>('GET', `${NS}/web`, 404);
  expect((await apiJson<PodList>('GET', NS, 200)).items).toEqual([]);
  expect(await jdPodsNamed('web')).toEqual([]);
});
