/**
 * Fault matrix, create column: an outage (429, 500, 503, a timeout, a dropped connection, an
 * answer that comes after the client gave up) at each JD call a create makes. Every cell must
 * converge to one Running JD pod with its labels and annotations, or fail with a Status saying
 * why; resourceVersions never go back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { api, emulator } from '../support/gateway';
import {
  answer,
  driveJournal,
  eventTypesAfter,
  FAULT_NAMES,
  freshCell,
  injectOutage,
  jdPodsNamed,
  journal,
  VersionTrail,
} from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const LABELS = { app: 'web', tier: 'front' };
const ANNOTATIONS = { 'example.com/owner': 'team-a' };

const manifest = (resources = false) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: LABELS, annotations: ANNOTATIONS },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        // Requests without a node type make the create read JD Cloud's instance-type catalogue.
        ...(resources ? { resources: { requests: { cpu: '1', memory: '2Gi' } } } : {}),
      },
    ],
  },
});

beforeEach(freshCell);

/** Ends the outage and lets everything finish: journal, JD transitions, a fresh read. */
async function converge(trail: VersionTrail): Promise<Pod> {
  await emulator.clearFaults();
  await driveJournal();
  await emulator.settle();
  await driveJournal();
  const { code, body } = await answer(await api('GET', `${NS}/web`));
  expect(code, JSON.stringify(body)).toBe(200);
  trail.see(body);
  return body as Pod;
}

async function expectOneRunningPod(pod: Pod): Promise<void> {
  expect(pod.status.phase).toBe('Running');
  expect(pod.metadata.labels).toEqual(LABELS);
  expect(pod.metadata.annotations).toMatchObject(ANNOTATIONS);
  expect(await jdPodsNamed('web')).toHaveLength(1);
  expect(await journal()).toEqual([]);
}

describe('create under JD Cloud faults', { timeout: 30_000 }, () => {
  for (const fault of FAULT_NAMES) {
    it(`createPods ${fault}: stored Pending saying why, retried with the same clientToken`, async () => {
      const trail = new VersionTrail();
      await injectOutage('createPods', fault);
      const { code, body } = await answer(await api('POST', NS, { body: manifest() }));
      trail.see(body);
      expect(code, JSON.stringify(body)).toBe(201);
      const pending = body as Pod;
      expect(pending.status).toMatchObject({ phase: 'Pending', reason: 'ProviderCreating' });
      expect(pending.status.message).toMatch(/^JD Cloud has not accepted the pod yet; retrying/);
      // Stored once, reason and all: watchers see one ADDED, not ADDED then MODIFIED.
      expect(await eventTypesAfter('web')).toEqual(['ADDED']);
      // While JD Cloud is unreachable the pod reads back the same, saying why.
      const read = await answer(await api('GET', `${NS}/web`));
      trail.see(read.body);
      expect((read.body as Pod).status.reason).toBe('ProviderCreating');
      await expectOneRunningPod(await converge(trail));
      // The journal retried createPods (same clientToken), and JD Cloud kept one pod.
      expect((await emulator.calls('createPods')).length).toBeGreaterThan(1);
    });

    it(`describeInstanceTypes ${fault}: refused with a Status, nothing created`, async () => {
      await injectOutage('describeInstanceTypes', fault);
      const { code, body } = await answer(await api('POST', NS, { body: manifest(true) }));
      expect([429, 503, 504]).toContain(code);
      expect((body as Status).message).toMatch(/JD Cloud/);
      expect(await emulator.calls('createPods')).toHaveLength(0);
      await emulator.clearFaults();
      expect(await jdPodsNamed('web')).toHaveLength(0);
      const { code: retried } = await answer(await api('POST', NS, { body: manifest(true) }));
      expect(retried).toBe(201);
      await expectOneRunningPod(await converge(new VersionTrail()));
    });

    it(`describePod ${fault} after the create: reads fail with a Status, then converge`, async () => {
      const trail = new VersionTrail();
      const created = await answer(await api('POST', NS, { body: manifest() }));
      expect(created.code).toBe(201);
      trail.see(created.body);
      await emulator.settle();
      await injectOutage('describePod', fault);
      const read = await answer(await api('GET', `${NS}/web`));
      trail.see(read.body);
      expect([200, 429, 503, 504]).toContain(read.code);
      if (read.code !== 200) expect((read.body as Status).message).toMatch(/JD Cloud/);
      // The journal's follow-up step meets the same outage and backs off.
      await driveJournal('default', 1);
      await expectOneRunningPod(await converge(trail));
      expect(await emulator.calls('createPods')).toHaveLength(1);
    });
  }
});
