/**
 * A property over generated histories of one pod: rounds of two operations (label and image
 * patches, stop, start, delete, reads, JD Cloud moving on, the journal running), the second run
 * while the first one's JD call has acted and its answer is held (`holdAfterActing`), then
 * everything settled. Whatever the interleaving:
 * - no accepted write is lost (every label a 200 PATCH set is on the pod),
 * - no JD pod is left once a DELETE was accepted (and podgate answers 404),
 * - the pod's watch history is one ADDED, versions strictly increasing, at most one DELETED, last.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/k8s/status';
import { api, createRunningPod, emulator } from '../../support/gateway';
import { holdAfterActing } from '../../support/held-answers';
import {
  driveJournal,
  eventTypesAfter,
  freshCell,
  jdPodsNamed,
  journal,
} from '../../support/reliability';

const NS = '/api/v1/namespaces/default/pods';

type Op =
  | { kind: 'label'; key: string }
  | { kind: 'image'; tag: number }
  | { kind: 'stop' | 'start' | 'delete' | 'get' | 'list' | 'settle' | 'alarm' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('label' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ kind: fc.constant('image' as const), tag: fc.integer({ min: 20, max: 29 }) }),
  fc.record({
    kind: fc.constantFrom(
      'stop' as const,
      'start' as const,
      'delete' as const,
      'get' as const,
      'list' as const,
      'settle' as const,
      'alarm' as const,
    ),
  }),
);

interface Outcome {
  labels: Map<string, string>;
  deleted: boolean;
}

let counter = 0;

async function run(o: Op, outcome: Outcome): Promise<void> {
  switch (o.kind) {
    case 'label': {
      const value = `v${++counter}`;
      const res = await api('PATCH', `${NS}/web`, {
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { [o.key]: value } } },
      });
      // Two patches of one key race: the later commit wins, so remember the key was written.
      if (res.status === 200) outcome.labels.set(o.key, value);
      else expect([404, 409], await res.text()).toContain(res.status);
      return;
    }
    case 'image': {
      const res = await api('PATCH', `${NS}/web`, {
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { containers: [{ name: 'app', image: `nginx:1.${o.tag}` }] } },
      });
      expect([200, 404, 409], await res.text()).toContain(res.status);
      return;
    }
    case 'stop':
    case 'start': {
      const res = await api('POST', `${NS}/web/${o.kind}`);
      expect(res.status, await res.text()).toBeLessThan(500);
      return;
    }
    case 'delete': {
      const res = await api('DELETE', `${NS}/web`);
      if (res.status === 200) outcome.deleted = true;
      else expect(res.status, await res.text()).toBe(404);
      return;
    }
    case 'get':
    case 'list': {
      const res = await api('GET', o.kind === 'get' ? `${NS}/web` : NS);
      expect([200, 404], await res.text()).toContain(res.status);
      return;
    }
    case 'settle':
      await emulator.settle();
      return;
    case 'alarm':
      await driveJournal('default', 1);
      return;
  }
}

/** The JD call an operation makes first, whose answer is held while the other one runs. */
const HELD: Partial<Record<Op['kind'], string>> = {
  stop: 'stopPod',
  start: 'startPod',
  delete: 'describePod',
  get: 'describePod',
  list: 'describePods',
  alarm: 'describePod',
};

/**
 * Runs `first` until its JD call has acted, then `second`, then lets `first` hear JD's answer.
 * An operation that makes no such call (refused first, or nothing due) just runs before `second`.
 */
async function interleave(first: Op, second: Op, outcome: Outcome): Promise<void> {
  const held = HELD[first.kind];
  if (!held) {
    await Promise.all([run(first, outcome), run(second, outcome)]);
    return;
  }
  const gate = await holdAfterActing(held);
  const running = run(first, outcome);
  const acted = await Promise.race([gate.acted().then(() => true), running.then(() => false)]);
  await run(second, outcome);
  await gate.release();
  await running;
  if (!acted) await emulator.clearFaults();
}

async function settleAll(): Promise<void> {
  for (let i = 0; i < 12 && (await journal()).length > 0; i++) {
    await emulator.settle();
    await driveJournal();
  }
  await emulator.settle();
  expect(await journal()).toEqual([]);
}

describe('concurrent operations on one pod', () => {
  it('lose no accepted write and leave no JD pod after an accepted DELETE', {
    timeout: 240_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(op, op), { minLength: 1, maxLength: 5 }),
        async (rounds) => {
          await freshCell();
          await createRunningPod('web');
          const outcome: Outcome = { labels: new Map(), deleted: false };
          for (const [first, second] of rounds) await interleave(first, second, outcome);
          await settleAll();
          const events = await eventTypesAfter('web');
          expect(events.filter((t) => t === 'ADDED')).toHaveLength(1);
          expect(events.filter((t) => t === 'DELETED').length).toBeLessThanOrEqual(1);
          if (events.includes('DELETED')) expect(events.at(-1)).toBe('DELETED');
          const got = await api('GET', `${NS}/web`);
          if (outcome.deleted) {
            expect(got.status).toBe(404);
            expect(((await got.json()) as Status).reason).toBe('NotFound');
            expect(await jdPodsNamed('web')).toEqual([]);
            return;
          }
          expect(got.status, await got.clone().text()).toBe(200);
          const pod = (await got.json()) as { metadata: { labels?: Record<string, string> } };
          for (const key of outcome.labels.keys()) expect(pod.metadata.labels).toHaveProperty(key);
          expect(await jdPodsNamed('web')).toHaveLength(1);
        },
      ),
      { numRuns: 12 },
    );
  });
});
