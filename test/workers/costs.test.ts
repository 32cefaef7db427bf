/**
 * JD Cloud calls per user operation: deterministic, so asserted here (bench/ reports the same
 * figures). Counted from the emulator's call log; transitions complete only when a test settles
 * the emulator, and the namespace object's alarm runs only when a test runs it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PodList } from '../../src/k8s/pod';
import { apiJson, emulator, podManifest, resetGateway, runAlarm } from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';

/** The JD operations since the last clear, in order. */
const operations = async () => (await emulator.calls()).map((c) => c.operation);

async function createPods(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await apiJson('POST', NS, 201, { body: podManifest(`p${String(i).padStart(3, '0')}`) });
  }
  await emulator.settle();
}

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

describe('JD calls per operation', () => {
  it('GET: one describePods page while the namespace fits one (it refreshes every pod)', async () => {
    await createPods(1);
    await emulator.clearCalls();
    await apiJson('GET', `${NS}/p000`, 200);
    expect(await operations()).toEqual(['describePods']);
  });

  it('LIST of 10: one describePods page', async () => {
    await createPods(10);
    await emulator.clearCalls();
    const list = await apiJson<PodList>('GET', NS, 200);
    expect(list.items).toHaveLength(10);
    expect(await operations()).toEqual(['describePods']);
  });

  it('LIST of 150: ceil(150/100) = 2 describePods pages', { timeout: 60_000 }, async () => {
    await emulator.quota('cn-north-1', 200);
    await createPods(150);
    await emulator.clearCalls();
    const list = await apiJson<PodList>('GET', NS, 200);
    expect(list.items).toHaveLength(150);
    expect(await operations()).toEqual(['describePods', 'describePods']);
  });

  it('create: createPods in the request, then one describePod per poll until it runs', async () => {
    await emulator.clearCalls();
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    expect(await operations()).toEqual(['createPods']);
    await emulator.settle();
    await runAlarm('default');
    expect(await operations()).toEqual(['createPods', 'describePod']);
    // Running: the journal is done; an alarm left armed is the namespace's sync cadence, not
    // due for a poll interval, so running it early calls nothing.
    await runAlarm('default');
    expect(await operations()).toHaveLength(2);
  });

  it('delete: describePod + deletePod in the request, then one describePod to see it gone', async () => {
    await createPods(1);
    await runAlarm('default');
    await emulator.clearCalls();
    await apiJson('DELETE', `${NS}/p000`, 200);
    expect(await operations()).toEqual(['describePod', 'deletePod']);
    await emulator.settle();
    await runAlarm('default');
    expect(await operations()).toEqual(['describePod', 'deletePod', 'describePod']);
    await runAlarm('default');
    expect(await operations()).toHaveLength(3);
  });
});
