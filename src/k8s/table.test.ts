import { describe, expect, it } from 'vitest';
import { humanDuration } from './human-duration';
import { decodePod, type Pod } from './pod';
import { POD_COLUMNS, podTable, printPodRow, wantsTable } from './table';

const now = new Date('2024-05-01T12:00:00Z');
const running = (extra: Record<string, unknown> = {}): Pod =>
  decodePod({
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: '2024-05-01T11:55:00Z',
      labels: { app: 'web' },
    },
    spec: { nodeName: 'virtual-node', containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'c',
          ready: true,
          restartCount: 2,
          image: 'nginx',
          imageID: '',
          state: { running: { startedAt: '2024-05-01T11:56:00Z' } },
        },
      ],
    },
    ...extra,
  });

describe('humanDuration', () => {
  it.each([
    [-5000, '<invalid>'],
    [-1000, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [300_000, '5m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [7.5 * 3_600_000, '7h30m'],
    [47 * 3_600_000, '47h'],
    [2 * 86_400_000, '2d'],
    [(3 * 24 + 5) * 3_600_000, '3d5h'],
    [400 * 86_400_000, '400d'],
    [(2 * 365 + 325) * 86_400_000, '2y325d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('printPodRow', () => {
  it('prints RESTARTS with when the last container restarted, as printPod does', () => {
    const pod = running();
    const status = pod.status.containerStatuses?.[0];
    if (!status) throw new Error('fixture has a container');
    status.lastState = {
      terminated: { exitCode: 137, finishedAt: '2024-05-01T11:56:00Z', startedAt: null },
    };
    expect(printPodRow(pod, now).cells[3]).toBe('2 (4m ago)');
    expect(POD_COLUMNS[3]).toMatchObject({ name: 'Restarts', type: 'string' });
  });

  it('renders the reference example row with PartialObjectMetadata', () => {
    const row = printPodRow(running(), now);
    expect(row.cells).toEqual([
      'web',
      '1/1',
      'Running',
      '2',
      '5m',
      '10.0.0.5',
      'virtual-node',
      '<none>',
      '<none>',
    ]);
    expect(row.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: running().metadata,
    });
    expect(printPodRow(running(), now, 'None').object).toBeUndefined();
    expect(printPodRow(running(), now, 'Object').object).toMatchObject({
      kind: 'Pod',
      spec: { nodeName: 'virtual-node' },
    });
  });

  const statusCell = (
    status: Record<string, unknown>,
    meta: Record<string, unknown> = {},
    initContainers = 0,
  ) =>
    printPodRow(
      decodePod({
        metadata: { name: 'p', ...meta },
        spec: {
          containers: [{ name: 'a' }, { name: 'b' }],
          initContainers: Array.from({ length: initContainers }, (_, i) => ({ name: `i${i}` })),
        },
        status,
      }),
      now,
    ).cells[2];
  const cs = (state: unknown, ready = false) => ({
    name: 'x',
    ready,
    restartCount: 0,
    image: '',
    imageID: '',
    state,
  });

  it('implements the STATUS algorithm', () => {
    expect(statusCell({ phase: 'Pending' })).toBe('Pending');
    expect(statusCell({ phase: 'Failed', reason: 'Evicted' })).toBe('Evicted');
    expect(
      statusCell({
        phase: 'Pending',
        containerStatuses: [
          cs({ waiting: { reason: 'ErrImagePull' } }),
          cs({ waiting: { reason: 'ContainerCreating' } }),
        ],
      }),
    ).toBe('ErrImagePull');
    expect(
      statusCell({
        phase: 'Running',
        containerStatuses: [cs({ terminated: { exitCode: 1 } }), cs({ running: {} }, true)],
      }),
    ).toBe('ExitCode:1');
    expect(
      statusCell({
        phase: 'Running',
        containerStatuses: [
          cs({ running: {} }, true),
          cs({ terminated: { exitCode: 0, signal: 9 } }),
        ],
      }),
    ).toBe('Signal:9');
    expect(
      statusCell({
        phase: 'Running',
        containerStatuses: [
          cs({ running: {} }, true),
          cs({ terminated: { exitCode: 0, reason: 'Completed' } }),
        ],
      }),
    ).toBe('NotReady');
    expect(
      statusCell({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          cs({ running: {} }, true),
          cs({ terminated: { exitCode: 0, reason: 'Completed' } }),
        ],
      }),
    ).toBe('Running');
    expect(
      statusCell({ phase: 'Pending', initContainerStatuses: [cs({ running: {} })] }, {}, 2),
    ).toBe('Init:0/2');
    expect(
      statusCell(
        { phase: 'Pending', initContainerStatuses: [cs({ terminated: { exitCode: 3 } })] },
        {},
        1,
      ),
    ).toBe('Init:ExitCode:3');
    expect(
      statusCell(
        {
          phase: 'Pending',
          initContainerStatuses: [cs({ waiting: { reason: 'CrashLoopBackOff' } })],
        },
        {},
        1,
      ),
    ).toBe('Init:CrashLoopBackOff');
    expect(statusCell({ phase: 'Running' }, { deletionTimestamp: '2024-05-01T12:00:30Z' })).toBe(
      'Terminating',
    );
    expect(statusCell({ phase: 'Succeeded' }, { deletionTimestamp: '2024-05-01T12:00:30Z' })).toBe(
      'Succeeded',
    );
  });

  it('marks terminal pods with the Completed condition and counts readiness gates', () => {
    const row = printPodRow(
      decodePod({ metadata: { name: 'p' }, status: { phase: 'Succeeded' } }),
      now,
    );
    expect(row.conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    expect(row.cells[4]).toBe('<unknown>');
    const gated = running();
    gated.spec.readinessGates = [{ conditionType: 'Ready' }, { conditionType: 'x' }];
    expect(printPodRow(gated, now).cells[8]).toBe('1/2');
  });
});

describe('podTable', () => {
  it('builds the Table with list metadata, and drops headers for later watch events', () => {
    const table = podTable([running()], { now, resourceVersion: '100', continue: 'tok' });
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '100', continue: 'tok' },
    });
    expect(table.columnDefinitions?.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(POD_COLUMNS[0]?.format).toBe('name');
    expect(podTable([running()], { now, noHeaders: true }).columnDefinitions).toBeNull();
  });
});

describe('wantsTable', () => {
  it('parses Accept headers', () => {
    expect(
      wantsTable(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe(true);
    expect(wantsTable('application/json; as=Table; g=meta.k8s.io; v=v1')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable('application/json, */*')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
    expect(wantsTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(
      false,
    );
    expect(wantsTable('application/yaml,application/json;as=Table;v=v1;g=meta.k8s.io')).toBe(true);
  });
});
