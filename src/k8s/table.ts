/**
 * Server-side Table output for pods (`kubectl get`), per §7 of the reference: the column
 * definitions and `printPod` of k8s.io/kubernetes/pkg/printers/internalversion, and the
 * Accept-header check that selects it.
 */
import { ageOf, humanDuration } from './human-duration';
import type { Pod, Table, TableColumnDefinition, TableRow } from './pod';

const column = (
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): TableColumnDefinition => ({ name, type, format, description, priority });

/** `podColumnDefinitions` (Restarts a string since 1.22: `1 (4m ago)`). */
export const POD_COLUMNS: TableColumnDefinition[] = [
  column(
    'Name',
    'string',
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names',
    0,
    'name',
  ),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  column(
    'Age',
    'string',
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  ),
  column(
    'IP',
    'string',
    'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    1,
  ),
  column(
    'Node',
    'string',
    'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
    1,
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot schedule right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    1,
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    1,
  ),
];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The STATUS cell plus READY and RESTARTS, following `printPod` step by step. */
function podState(pod: Pod): {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: number;
} {
  const status = pod.status;
  let reason: string = status.reason || status.phase || '';
  let restarts = 0;
  // When the last container restarted: the latest lastState.terminated.finishedAt.
  let lastRestart = 0;
  const noteRestart = (c: { lastState?: { terminated?: { finishedAt?: string | null } } }) => {
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (finished > lastRestart) lastRestart = finished;
  };
  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  // Go's `break` in printPod leaves only the switch, so every init container is visited.
  inits.forEach((c, i) => {
    restarts += c.restartCount;
    noteRestart(c);
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) return;
    if (t) {
      if (t.reason) reason = `Init:${t.reason}`;
      else reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    } else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${(pod.spec.initContainers ?? []).length}`;
    initializing = true;
  });
  let ready = 0;
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (!c) continue;
      restarts += c.restartCount;
      noteRestart(c);
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  return { reason, ready, restarts, lastRestart };
}

/** RESTARTS as printPod writes it: `0`, or `1 (4m ago)` when the last restart is known. */
function restartsCell(restarts: number, lastRestart: number, now: Date): string {
  if (restarts === 0 || lastRestart === 0) return String(restarts);
  return `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status.conditions ?? [];
  const met = gates.filter((g) =>
    conditions.some((c) => c.type === g.conditionType && c.status === 'True'),
  ).length;
  return `${met}/${gates.length}`;
}

const TERMINAL_CONDITIONS = {
  Succeeded: [
    {
      type: 'Completed',
      status: 'True',
      reason: 'Succeeded',
      message: 'The pod has completed successfully.',
    },
  ],
  Failed: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
};

function rowObject(pod: Pod, include: IncludeObject): TableRow['object'] {
  if (include === 'None') return undefined;
  if (include === 'Object') return { ...pod, apiVersion: 'v1', kind: 'Pod' };
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata };
}

/** One Table row for a pod: the nine cells of `printPod`, the object, terminal conditions. */
export function printPodRow(
  pod: Pod,
  now: Date,
  includeObject: IncludeObject = 'Metadata',
): TableRow {
  const { reason, ready, restarts, lastRestart } = podState(pod);
  const row: TableRow = {
    cells: [
      pod.metadata.name ?? '',
      `${ready}/${pod.spec.containers.length}`,
      reason,
      restartsCell(restarts, lastRestart, now),
      ageOf(pod.metadata.creationTimestamp, now),
      pod.status.podIP || '<none>',
      pod.spec.nodeName || '<none>',
      pod.status.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
  };
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') row.conditions = TERMINAL_CONDITIONS[phase];
  const object = rowObject(pod, includeObject);
  if (object) row.object = object;
  return row;
}

export interface TableOptions {
  now: Date;
  resourceVersion?: string;
  continue?: string;
  includeObject?: IncludeObject;
  /** Watch events after the first: `columnDefinitions` is `null` (the apiserver's NoHeaders). */
  noHeaders?: boolean;
}

/** A `meta.k8s.io/v1` Table of pods, for list, get (one row) and each watch event. */
export function podTable(pods: Pod[], options: TableOptions): Table {
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : POD_COLUMNS,
    rows: pods.map((p) => printPodRow(p, options.now, options.includeObject)),
  };
}

/**
 * True when the Accept header's first usable media type asks for a meta.k8s.io/v1 Table, as
 * kubectl's `application/json;as=Table;v=v1;g=meta.k8s.io,…,application/json` does.
 */
export function wantsTable(accept: string | undefined): boolean {
  for (const clause of (accept ?? '').split(',')) {
    const [type = '', ...rawParams] = clause.split(';').map((s) => s.trim());
    const params = Object.fromEntries(
      rawParams.map((p) => {
        const [k = '', v = ''] = p.split('=').map((s) => s.trim());
        return [k.toLowerCase(), v];
      }),
    );
    if (params.q === '0') continue;
    const mediaType = type.toLowerCase();
    if (!['application/json', 'application/*', '*/*'].includes(mediaType)) continue;
    if (params.as === undefined) return false;
    if (params.as === 'Table' && params.g === 'meta.k8s.io' && params.v === 'v1') return true;
  }
  return false;
}
