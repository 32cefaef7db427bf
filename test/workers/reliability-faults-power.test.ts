/**
 * Fault matrix, stop/start column: an outage at stopPod, startPod and the describePod that
 * follows each. The action either happened or the caller got a Status saying why; either way the
 * pod's status tells what JD Cloud is doing (never a stopped pod reported Running), and a retry
 * finishes the job with one JD pod, labels intact and resourceVersions that never go back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { api, apiJson, createRunningPod, emulator } from '../support/gateway';
import {
  answer,
  driveJournal,
  FAULT_NAMES,
  freshCell,
  injectOutage,
  jdPodsNamed,
  VersionTrail,
} from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const LABELS = { app: 'web' };

beforeEach(freshCell);

const ready = (pod: Pod) => pod.status.conditions?.find((c) => c.type === 'Ready')?.status;

/** The pod's status against JD Cloud's phase: stopped or stopping is never shown as serving. */
async function expectStatusTellsTruth(trail: VersionTrail): Promise<string> {
  const pod = await apiJson('GET', `${NS}/web`, 200);
  trail.see(pod);
  const [jdPod] = await jdPodsNamed('web');
  const phase = jdPod?.podStatus?.phase ?? 'gone';
  const expected: Record<string, [string | undefined, string | undefined]> = {
    running: [undefined, 'True'],
    stopping: ['Stopping', 'False'],
    stopped: ['Stopped', 'False'],
    starting: ['Starting', 'False'],
  };
  expect(expected[phase], `JD phase ${phase}`).toBeDefined();
  expect([pod.status.reason, ready(pod)], `JD phase ${phase}`).toEqual(expected[phase]);
  expect(pod.metadata.labels).toEqual(LABELS);
  return phase;
}

async function act(action: 'stop' | 'start', trail: VersionTrail): Promise<number> {
  const { code, body } = await answer(await api('POST', `${NS}/web/${action}`));
  trail.see(body);
  if (code !== 200) {
    expect([409, 429, 503, 504], JSON.stringify(body)).toContain(code);
    expect((body as Status).message).toMatch(/JD Cloud/);
  }
  return code;
}

/** After the outage: repeat the action if JD Cloud never saw it, then check the end state. */
async function finish(action: 'stop' | 'start', trail: VersionTrail): Promise<void> {
  await emulator.clearFaults();
  await driveJournal();
  const phase = await expectStatusTellsTruth(trail);
  const done = action === 'stop' ? ['stopping', 'stopped'] : ['starting', 'running'];
  if (!done.includes(phase)) expect(await act(action, trail)).toBe(200);
  await emulator.settle();
  await driveJournal();
  expect(await expectStatusTellsTruth(trail)).toBe(action === 'stop' ? 'stopped' : 'running');
  expect(await jdPodsNamed('web')).toHaveLength(1);
}

async function createRunning(trail: VersionTrail): Promise<void> {
  const { created, running } = await createRunningPod('web', LABELS);
  trail.see(created);
  trail.see(running);
}

async function createStopped(trail: VersionTrail): Promise<void> {
  await createRunning(trail);
  trail.see(await apiJson('POST', `${NS}/web/stop`, 200));
  await emulator.settle();
  trail.see(await apiJson('GET', `${NS}/web`, 200));
}

describe('stop and start under JD Cloud faults', { timeout: 30_000 }, () => {
  for (const fault of FAULT_NAMES) {
    it(`stopPod ${fault}: a Status or a stop, and the status tells which`, async () => {
      const trail = new VersionTrail();
      await createRunning(trail);
      await injectOutage('stopPod', fault);
      await act('stop', trail);
      await finish('stop', trail);
    });

    it(`describePod ${fault} after stopPod: the stop is not lost`, async () => {
      const trail = new VersionTrail();
      await createRunning(trail);
      await injectOutage('describePod', fault);
      const { code, body } = await answer(await api('POST', `${NS}/web/stop`));
      trail.see(body);
      // JD Cloud took the stop: the answer says so, though the pod could not be read back.
      expect(code, JSON.stringify(body)).toBe(200);
      expect((body as Pod).status.reason).toBe('Stopping');
      expect(ready(body as Pod)).not.toBe('True');
      await finish('stop', trail);
      expect(await emulator.calls('stopPod')).toHaveLength(1);
    });

    it(`startPod ${fault}: a Status or a start, and the status tells which`, async () => {
      const trail = new VersionTrail();
      await createStopped(trail);
      await injectOutage('startPod', fault);
      await act('start', trail);
      await finish('start', trail);
    });

    it(`describePod ${fault} after startPod: the start is not lost`, async () => {
      const trail = new VersionTrail();
      await createStopped(trail);
      await injectOutage('describePod', fault);
      const { code, body } = await answer(await api('POST', `${NS}/web/start`));
      trail.see(body);
      // JD Cloud took the start: the answer says so, though the pod could not be read back.
      expect(code, JSON.stringify(body)).toBe(200);
      expect((body as Pod).status.reason).toBe('Starting');
      expect(ready(body as Pod)).not.toBe('True');
      await finish('start', trail);
      expect(await emulator.calls('startPod')).toHaveLength(1);
    });
  }
});
