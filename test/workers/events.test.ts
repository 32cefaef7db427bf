/**
 * Events against the JD Cloud emulator: what a pod's life records (scheduled, started, stopped,
 * rolled out, deleted), listed as `kubectl describe` asks for them, in both APIs, counted when
 * they repeat, streamed by a watch, and dropped after an hour.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/k8s/event';
import type { Pod } from '../../src/k8s/pod';
import { EventLog, MAX_EVENTS_PER_NAMESPACE } from '../../src/store/events';
import {
  api,
  apiJson,
  createRunningPod,
  emulator,
  resetGateway,
  runAlarm,
  VIEWER,
} from '../support/gateway';
import { WatchReader } from '../support/kube-watch';

const PODS = '/api/v1/namespaces/default/pods';
const EVENTS = '/api/v1/namespaces/default/events';
const JSON_PATCH = 'application/json-patch+json';

interface EventList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string };
  items: CoreEvent[];
}

let open: WatchReader[] = [];

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});
afterEach(async () => {
  await Promise.all(open.map((w) => w.cancel().catch(() => {})));
  open = [];
});

/** The field selector `kubectl describe pod` sends (kind left out, as describe does). */
const describeSelector = (pod: Pod) =>
  encodeURIComponent(
    `involvedObject.name=${pod.metadata.name},involvedObject.namespace=default,involvedObject.uid=${pod.metadata.uid}`,
  );

const eventsOf = async (pod: Pod) =>
  (
    await apiJson<EventList>(
      'GET',
      `${EVENTS}?fieldSelector=${describeSelector(pod)}&limit=500`,
      200,
    )
  ).items;

const summary = (events: CoreEvent[]) =>
  events.map((e) => `${e.type} ${e.reason} ${e.involvedObject.fieldPath ?? ''}`.trim());

async function finishJournal(max = 10): Promise<void> {
  for (let i = 0; i < max; i++) {
    await emulator.settle();
    if (!(await runAlarm('default'))) return;
  }
  throw new Error('the journal did not finish');
}

describe('events of a pod', () => {
  it('records scheduling and start, filtered as kubectl describe asks, read-only for viewers', async () => {
    const { running } = await createRunningPod('web');
    await createRunningPod('other');
    const events = await eventsOf(running);
    expect(summary(events)).toEqual([
      'Normal Scheduled',
      'Normal Pulled spec.containers{app}',
      'Normal Created spec.containers{app}',
      'Normal Started spec.containers{app}',
    ]);
    const [scheduled, pulled] = events;
    expect(scheduled).toMatchObject({
      kind: 'Event',
      apiVersion: 'v1',
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: running.metadata.uid },
      message: `Successfully assigned default/web to ${running.spec.nodeName}`,
      source: { component: 'podgate' },
      count: 1,
    });
    expect(pulled?.message).toBe('Successfully pulled image "nginx:1.25"');
    expect(Number(scheduled?.metadata.resourceVersion)).toBeGreaterThan(0);

    // Other selectors describe and `kubectl get events --field-selector` use.
    const started = await apiJson<EventList>(
      'GET',
      `${EVENTS}?fieldSelector=${encodeURIComponent('reason=Started,involvedObject.kind=Pod')}`,
      200,
    );
    expect(started.items.map((e) => e.involvedObject.name).sort()).toEqual(['other', 'web']);
    const warnings = await apiJson<EventList>('GET', `${EVENTS}?fieldSelector=type%3DWarning`, 200);
    expect(warnings.items).toEqual([]);
    const bad = await apiJson<{ message: string }>(
      'GET',
      `${EVENTS}?fieldSelector=spec.x%3D1`,
      400,
    );
    expect(bad.message).toBe('field label not supported: spec.x');

    // One by name; the viewer role reads them; nobody writes them.
    const one = await apiJson<CoreEvent>('GET', `${EVENTS}/${scheduled?.metadata.name}`, 200, {
      token: VIEWER,
    });
    expect(one.reason).toBe('Scheduled');
    expect((await api('GET', `${EVENTS}/nope`)).status).toBe(404);
    expect((await api('POST', EVENTS, { body: { metadata: { name: 'x' } } })).status).toBe(404);
    expect((await api('GET', EVENTS, { token: null })).status).toBe(401);
    // RBAC on `events`: the viewer reads them where it reads pods, not elsewhere, and may not write.
    const refused = await apiJson<{ message: string }>(
      'GET',
      '/api/v1/namespaces/staging/events',
      403,
      { token: VIEWER },
    );
    expect(refused.message).toBe(
      'events is forbidden: User "dev-viewer" cannot list resource "events" in API group "" in the namespace "staging"',
    );
    const canI = async (verb: string) =>
      (
        await apiJson<{ status: { allowed: boolean } }>(
          'POST',
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          201,
          {
            token: VIEWER,
            body: {
              spec: { resourceAttributes: { namespace: 'default', verb, resource: 'events' } },
            },
          },
        )
      ).status.allowed;
    expect([await canI('list'), await canI('watch'), await canI('create')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('counts a repeated event instead of adding it, in both APIs', async () => {
    const { running } = await createRunningPod('web');
    await apiJson('POST', `${PODS}/web/stop`, 200);
    await emulator.settle();
    await apiJson('GET', `${PODS}/web`, 200);
    await apiJson('POST', `${PODS}/web/start`, 200);
    await emulator.settle();
    await apiJson('GET', `${PODS}/web`, 200);
    const events = await eventsOf(running);
    expect(summary(events)).toEqual([
      'Normal Scheduled',
      'Normal Pulled spec.containers{app}',
      'Normal Created spec.containers{app}',
      'Normal Started spec.containers{app}',
      'Normal Stopped',
      'Normal Killing spec.containers{app}',
    ]);
    const startedEvent = events.find((e) => e.reason === 'Started');
    expect(startedEvent?.count).toBe(2);
    expect(Date.parse(startedEvent?.lastTimestamp ?? '')).toBeGreaterThanOrEqual(
      Date.parse(startedEvent?.firstTimestamp ?? ''),
    );

    const v1 = await apiJson<{ apiVersion: string; items: Record<string, unknown>[] }>(
      'GET',
      `/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('regarding.name=web,reason=Started')}`,
      200,
    );
    expect(v1.apiVersion).toBe('events.k8s.io/v1');
    expect(v1.items).toHaveLength(1);
    expect(v1.items[0]).toMatchObject({
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      reason: 'Started',
      note: 'Started container app',
      regarding: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      reportingController: 'podgate',
      series: { count: 2 },
      deprecatedCount: 2,
    });
    expect(v1.items[0]?.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('records each rollout step and its outcome, then the deletion', async () => {
    const { running } = await createRunningPod('web');
    await apiJson('PATCH', `${PODS}/web`, 200, {
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
    });
    await finishJournal();
    const afterRollout = await eventsOf(running);
    const rollout = afterRollout.filter((e) => /Roll/.test(e.reason));
    expect(rollout[0]).toMatchObject({
      type: 'Normal',
      reason: 'RollingOut',
      message: 'rolling out app=nginx:1.27',
    });
    expect(rollout.length).toBeGreaterThanOrEqual(3);
    expect(rollout.at(-1)).toMatchObject({
      type: 'Normal',
      reason: 'RolledOut',
      message: 'Rollout finished: running app=nginx:1.27',
    });
    expect(afterRollout.map((e) => e.message)).toContain('Successfully pulled image "nginx:1.27"');
    expect(afterRollout.every((e) => e.type === 'Normal')).toBe(true);

    await apiJson('DELETE', `${PODS}/web`, 200);
    await finishJournal();
    expect((await api('GET', `${PODS}/web`)).status).toBe(404);
    const afterDelete = await eventsOf(running);
    expect(afterDelete.at(-1)).toMatchObject({
      reason: 'Deleted',
      message: 'Deleted pod default/web and its JD Cloud pod',
    });
    expect(afterDelete.filter((e) => e.reason === 'Killing').length).toBeGreaterThanOrEqual(1);
  });

  it('records a retried step (BackOff) and a failed rollout (RolloutFailed) as Warnings', async () => {
    const { running } = await createRunningPod('web');
    await emulator.fault('stopPod', { status: 429 });
    await emulator.fault('rebuildPod', {
      status: 400,
      errorStatus: 'INVALID_ARGUMENT',
      message: 'image nginx:1.26 not found',
    });
    await apiJson('PATCH', `${PODS}/web`, 200, {
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }],
    });
    await finishJournal();
    const warnings = (await eventsOf(running)).filter((e) => e.type === 'Warning');
    expect(warnings.map((e) => e.reason)).toEqual(['BackOff', 'RolloutFailed', 'RolloutFailed']);
    expect(warnings[0]?.message).toMatch(
      /^rolling out app=nginx:1\.26; retrying after: JD Cloud rate limit reached/,
    );
    // While restoring, then the outcome; JD's message and requestId, never a key.
    expect(warnings[1]?.message).toMatch(/image nginx:1\.26 not found.*restoring app=nginx:1\.25/);
    expect(warnings[2]?.message).toMatch(
      /^rollout failed: JD Cloud rejected rebuildPod: image nginx:1\.26 not found \(JD Cloud requestId \S+\); back on app=nginx:1\.25$/,
    );
  });

  it('records JD Cloud create errors as Warnings with the requestId, then Scheduled', async () => {
    // 503 through every client retry: the pod is stored and createPods journaled.
    await emulator.fault('createPods', { status: 503, count: 4 });
    const created = await apiJson<Pod>('POST', PODS, 201, {
      body: {
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
    });
    expect(created.status.reason).toBe('ProviderCreating');
    const [failed, ...rest] = await eventsOf(created);
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ type: 'Warning', reason: 'FailedCreate' });
    expect(failed?.message).toContain('retrying createPods');
    expect(failed?.message).toMatch(/requestId \S+/);
    expect(failed?.message).not.toMatch(/AccessKey|secret|JDCLOUD2-HMAC|Signature/i);
    // The journal's retry gets it through: scheduled and started.
    await finishJournal();
    await apiJson('GET', `${PODS}/web`, 200);
    expect(summary(await eventsOf(created))).toEqual([
      'Warning FailedCreate',
      'Normal Scheduled',
      'Normal Pulled spec.containers{app}',
      'Normal Created spec.containers{app}',
      'Normal Started spec.containers{app}',
    ]);
  });
});

describe('events watch and retention', () => {
  it('streams new events to a watch that resumes from a list, in the Table kubectl -w asks for', async () => {
    const { running } = await createRunningPod('web');
    const list = await apiJson<EventList>('GET', EVENTS, 200);
    const res = await api(
      'GET',
      `${EVENTS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(res.status).toBe(200);
    const watch = new WatchReader(res.body as ReadableStream<Uint8Array>);
    open.push(watch);
    await apiJson('POST', `${PODS}/web/stop`, 200);
    await emulator.settle();
    await apiJson('GET', `${PODS}/web`, 200);
    const first = await watch.next();
    expect(first).toMatchObject({ type: 'ADDED', object: { kind: 'Event', reason: 'Stopped' } });
    expect((first?.object as unknown as CoreEvent | undefined)?.involvedObject.uid).toBe(
      running.metadata.uid,
    );

    const table = await api('GET', `${EVENTS}?watch=true&fieldSelector=reason%3DStarted`, {
      headers: {
        Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      },
    });
    const rows = new WatchReader(table.body as ReadableStream<Uint8Array>);
    open.push(rows);
    const added = await rows.next();
    expect(added?.type).toBe('ADDED');
    const object = added?.object as unknown as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(object.kind).toBe('Table');
    expect(object.columnDefinitions.map((c) => c.name).slice(0, 4)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
    ]);
    expect(object.rows[0]?.cells.slice(1, 4)).toEqual(['Normal', 'Started', 'pod/web']);
  });

  it('watches events.k8s.io/v1 on the /watch/ path, and every namespace at once', async () => {
    await createRunningPod('web');
    const v1 = await api('GET', '/apis/events.k8s.io/v1/watch/namespaces/default/events');
    expect(v1.status).toBe(200);
    const events = new WatchReader(v1.body as ReadableStream<Uint8Array>);
    open.push(events);
    const first = await events.next();
    expect(first).toMatchObject({
      type: 'ADDED',
      object: { apiVersion: 'events.k8s.io/v1', reason: 'Scheduled', regarding: { name: 'web' } },
    });
    const all = await api('GET', '/api/v1/events?watch=1&fieldSelector=reason%3DStarted');
    const everywhere = new WatchReader(all.body as ReadableStream<Uint8Array>);
    open.push(everywhere);
    expect(await everywhere.next()).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Event', reason: 'Started', involvedObject: { namespace: 'default' } },
    });
    // A pod in another namespace reaches the same watch.
    await apiJson('POST', '/api/v1/namespaces/staging/pods', 201, {
      body: {
        metadata: { name: 'api' },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
    });
    await emulator.settle();
    await apiJson('GET', '/api/v1/namespaces/staging/pods/api', 200);
    expect(await everywhere.next()).toMatchObject({
      type: 'ADDED',
      object: { reason: 'Started', involvedObject: { namespace: 'staging', name: 'api' } },
    });
    const listed = await apiJson<EventList>(
      'GET',
      '/api/v1/events?fieldSelector=reason%3DScheduled',
      200,
    );
    expect(listed.items.map((e) => e.involvedObject.namespace).sort()).toEqual([
      'default',
      'staging',
    ]);
    expect(listed.metadata.resourceVersion).toMatch(/^default=\d+,staging=\d+$/);
  });

  it('drops events after an hour and keeps at most 1000 per namespace', async () => {
    const { running } = await createRunningPod('web');
    expect((await eventsOf(running)).length).toBe(4);
    const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName('default'));
    const kept = await runInDurableObject(stub, (_instance, state) => {
      let rv = 1;
      const log = new EventLog(state.storage.sql, () => ++rv);
      const drafts = Array.from({ length: MAX_EVENTS_PER_NAMESPACE + 5 }, (_, i) => ({
        type: 'Normal' as const,
        reason: 'Test',
        message: `event ${i}`,
      }));
      log.record(running, drafts);
      const count = state.storage.sql.exec('SELECT COUNT(*) AS n FROM kube_events').one().n;
      log.prune(Date.now() + 61 * 60_000);
      const after = state.storage.sql.exec('SELECT COUNT(*) AS n FROM kube_events').one().n;
      return { count, after };
    });
    expect(kept).toEqual({ count: MAX_EVENTS_PER_NAMESPACE, after: 0 });
  });
});
