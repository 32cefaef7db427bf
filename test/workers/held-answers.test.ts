/**
 * The emulator's "hold after acting" gate, driven through the gateway: a JD call that has acted
 * while podgate still waits for its answer, with other requests in between.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import { api, apiJson, createRunningPod, emulator, resetGateway } from '../support/gateway';
import { holdAfterActing } from '../support/held-answers';
import { jdPodsNamed } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

describe('holdAfterActing', () => {
  it('lets a test act between JD doing a delete and podgate hearing of it', async () => {
    await createRunningPod('web');
    const gate = await holdAfterActing('deletePod');
    const deleting = api('DELETE', `${NS}/web`);
    const held = await gate.acted();
    expect(held).toMatchObject({ operation: 'deletePod', status: 200 });
    // JD Cloud has acted: its pod is deleting, while podgate's DELETE is still waiting.
    expect((await jdPodsNamed('web')).map((p) => p.podStatus?.phase)).toEqual(['deleting']);
    expect(await emulator.held('deletePod')).toHaveLength(1);
    const list = await apiJson<{ items: Pod[] }>('GET', NS, 200);
    expect(list.items.map((p) => p.metadata.name)).toEqual(['web']);
    await gate.release();
    const answer = await deleting;
    expect(answer.status, await answer.clone().text()).toBe(200);
    expect(((await answer.json()) as Pod).metadata.deletionTimestamp).toBeTruthy();
    expect(await emulator.held('deletePod')).toEqual([]);
  });

  it('an answer held past the gateway JD timeout: JD did the work, podgate never heard', async () => {
    await createRunningPod('web');
    const gate = await holdAfterActing('deletePod');
    const answer = await api('DELETE', `${NS}/web`);
    await gate.acted();
    // The DELETE answered without JD's answer (the client's timeout fired); JD deleted anyway.
    // The delete is accepted and journaled; its follow-up finds the pod gone.
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as Pod).metadata.deletionTimestamp).toBeTruthy();
    expect((await jdPodsNamed('web')).map((p) => p.podStatus?.phase)).toEqual(['deleting']);
    await gate.release();
  });
});
