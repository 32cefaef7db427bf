import { describe, expect, it } from 'vitest';
import { createJdClient, type JdClient, jdClientFromConfig } from './client';
import { fakeTransport, jdOk, type RecordedRequest } from './fake-transport';
import type { JdPodSpec } from './models';
import { expectedSignature, parseAuthorization } from './signature';

const credentials = { accessKeyId: 'AK-ops', secretAccessKey: 'SK-ops-secret' };
const NOW = Date.parse('2024-05-06T07:08:09Z');

function clientAnswering(result: unknown) {
  const transport = fakeTransport(() => jdOk(result));
  const client = createJdClient({
    endpoint: 'https://pod.jdcloud-api.com/',
    credentials,
    fetch: transport.fetch,
    now: () => NOW,
    nonce: () => 'nonce-1',
  });
  return { client, requests: transport.requests };
}

/** Checks a request as JD Cloud would: the signature headers are present and verify. */
async function expectSigned(request: RecordedRequest, region: string) {
  expect(request.headers).toMatchObject({
    host: 'pod.jdcloud-api.com',
    'content-type': 'application/json',
    accept: 'application/json',
    'x-jdcloud-date': '20240506T070809Z',
    'x-jdcloud-nonce': 'nonce-1',
  });
  const auth = parseAuthorization(request.headers.authorization ?? '');
  expect(auth).toMatchObject({
    algorithm: 'JDCLOUD2',
    accessKeyId: 'AK-ops',
    date8: '20240506',
    region,
    service: 'pod',
    signedHeaders: ['accept', 'content-type', 'host', 'x-jdcloud-date', 'x-jdcloud-nonce'],
  });
  if (!auth) return;
  const received = {
    method: request.method,
    path: request.url.pathname,
    query: request.url.search,
    headers: request.headers,
    body: request.body ?? '',
  };
  expect(await expectedSignature(received, auth, credentials.secretAccessKey)).toBe(auth.signature);
  expect(await expectedSignature(received, auth, 'another-secret')).not.toBe(auth.signature);
}

const podSpec: JdPodSpec = {
  name: 'default--web',
  instanceType: 'g.n2.medium',
  az: 'cn-north-1a',
  containers: [{ name: 'web', image: 'nginx:1.25', systemDisk: { category: 'cloud', sizeGB: 20 } }],
  primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-abc' } },
};
const pod = { podId: 'pod-1', name: 'default--web', podStatus: { phase: 'running' } };

interface Case {
  name: string;
  call: (c: JdClient) => Promise<unknown>;
  answer: unknown;
  method: string;
  path: string;
  query?: string;
  body?: unknown;
  expected: unknown;
}

const R = '/v1/regions/cn-north-1';
const cases: Case[] = [
  {
    name: 'createPods',
    call: (c) => c.createPods('cn-north-1', { podSpec, maxCount: 1, clientToken: 'tok-1' }),
    answer: { podIds: ['pod-1'] },
    method: 'POST',
    path: `${R}/pods`,
    body: { podSpec, maxCount: 1, clientToken: 'tok-1' },
    expected: { podIds: ['pod-1'] },
  },
  {
    name: 'describePod',
    call: (c) => c.describePod('cn-north-1', 'pod-1'),
    answer: { pod },
    method: 'GET',
    path: `${R}/pods/pod-1`,
    expected: pod,
  },
  {
    name: 'describePods',
    call: (c) =>
      c.describePods('cn-north-1', {
        pageNumber: 2,
        pageSize: 10,
        filters: [
          { name: 'phase', values: ['running', 'stopped'] },
          { name: 'podId', values: [] },
          { name: 'name', values: ["my pod*(!)'+%"], operator: 'like' },
        ],
        tags: [{ key: 'k8s/ns', values: ['default'] }],
      }),
    answer: { pods: [pod], totalCount: 11 },
    method: 'GET',
    path: `${R}/pods`,
    query:
      '?pageNumber=2&pageSize=10&filters.1.name=phase&filters.1.values.1=running' +
      '&filters.1.values.2=stopped&filters.2.name=name&filters.2.operator=like' +
      '&filters.2.values.1=my%20pod%2A%28%21%29%27%2B%25&tags.1.key=k8s%2Fns&tags.1.values.1=default',
    expected: { pods: [pod], totalCount: 11 },
  },
  {
    name: 'deletePod',
    call: (c) => c.deletePod('cn-north-1', 'pod-1'),
    answer: {},
    method: 'DELETE',
    path: `${R}/pods/pod-1`,
    expected: undefined,
  },
  ...(
    [
      ['startPod', 'startPod', {}],
      ['stopPod', 'stopPod', {}],
    ] as const
  ).map(([name, verb, body]) => ({
    name,
    call: (c: JdClient) => c[name]('cn-north-1', 'pod-1'),
    answer: undefined,
    method: 'POST',
    path: `${R}/pods/pod-1%3A${verb}`,
    body,
    expected: undefined,
  })),
  {
    name: 'rebuildPod',
    call: (c) =>
      c.rebuildPod('cn-north-1', 'pod-1', { containers: [{ name: 'web', image: 'nginx:1.26' }] }),
    answer: {},
    method: 'POST',
    path: `${R}/pods/pod-1%3Arebuild`,
    body: { containers: [{ name: 'web', image: 'nginx:1.26' }] },
    expected: undefined,
  },
  {
    name: 'resizePod',
    call: (c) => c.resizePod('cn-north-1', 'pod-1', { instanceType: 'g.n2.large' }),
    answer: {},
    method: 'POST',
    path: `${R}/pods/pod-1%3Aresize`,
    body: { instanceType: 'g.n2.large' },
    expected: undefined,
  },
  {
    name: 'modifyPodAttribute',
    call: (c) => c.modifyPodAttribute('cn-north-1', 'pod-1', { description: 'hello' }),
    answer: {},
    method: 'PATCH',
    path: `${R}/pods/pod-1%3AmodifyPodAttribute`,
    body: { description: 'hello' },
    expected: undefined,
  },
  {
    name: 'checkPodName',
    call: (c) => c.checkPodName('cn-north-1', { podName: 'web', maxCount: 1 }),
    answer: { code: 3, reason: 'duplicate' },
    method: 'POST',
    path: `${R}/pods%3AcheckPodName`,
    body: { podName: 'web', maxCount: 1 },
    expected: { code: 3, reason: 'duplicate' },
  },
  {
    name: 'associateElasticIp',
    call: (c) => c.associateElasticIp('cn-north-1', 'pod-1', 'fip-1'),
    answer: {},
    method: 'POST',
    path: `${R}/pods/pod-1%3AassociateElasticIp`,
    body: { elasticIpId: 'fip-1' },
    expected: undefined,
  },
  {
    name: 'disassociateElasticIp',
    call: (c) => c.disassociateElasticIp('cn-north-1', 'pod-1', 'fip-1'),
    answer: {},
    method: 'POST',
    path: `${R}/pods/pod-1%3AdisassociateElasticIp`,
    body: { elasticIpId: 'fip-1' },
    expected: undefined,
  },
  {
    name: 'describeContainer',
    call: (c) => c.describeContainer('cn-north-1', 'pod-1', 'web'),
    answer: { container: { name: 'web', containerStatus: { ready: true, restartCount: 0 } } },
    method: 'GET',
    path: `${R}/pods/pod-1/containers/web`,
    expected: { name: 'web', containerStatus: { ready: true, restartCount: 0 } },
  },
  {
    name: 'getContainerLogs',
    call: (c) =>
      c.getContainerLogs('cn-north-1', 'pod-1', 'web', { tailLines: 50, limitBytes: 4096 }),
    answer: { logs: { content: 'line 1\nline 2\n' } },
    method: 'GET',
    path: `${R}/pods/pod-1/containers/web%3AgetContainerLogs`,
    query: '?tailLines=50&limitBytes=4096',
    expected: 'line 1\nline 2\n',
  },
  {
    name: 'execCreate',
    call: (c) => c.execCreate('cn-north-1', 'pod-1', 'web', { command: ['sh'], tty: true }),
    answer: { execId: 'e-1' },
    method: 'POST',
    path: `${R}/pods/pod-1/containers/web%3AexecCreate`,
    body: { command: ['sh'], tty: true },
    expected: 'e-1',
  },
  {
    name: 'execGetExitCode',
    call: (c) => c.execGetExitCode('cn-north-1', 'pod-1', 'web', 'e-1'),
    answer: { execCode: 3 },
    method: 'GET',
    path: `${R}/pods/pod-1/containers/web%3AexecGetExitCode`,
    query: '?execId=e-1',
    expected: 3,
  },
  {
    name: 'resizeTTY',
    // JD's bounds are [10,2000] rows and [10,1000] columns: smaller terminals are clamped.
    call: (c) => c.resizeTTY('cn-north-1', 'pod-1', 'web', { height: 5, width: 80, execId: 'e-1' }),
    answer: {},
    method: 'POST',
    path: `${R}/pods/pod-1/containers/web%3AresizeTTY`,
    body: { height: 10, width: 80, execId: 'e-1' },
    expected: undefined,
  },
  {
    name: 'describeQuota',
    call: (c) => c.describeQuota('cn-north-1', 'pod'),
    answer: { quota: { resourceType: 'pod', limit: 20, used: 3 } },
    method: 'GET',
    path: `${R}/quotas`,
    query: '?resourceType=pod',
    expected: { resourceType: 'pod', limit: 20, used: 3 },
  },
  {
    name: 'describeInstanceTypes',
    call: (c) =>
      c.describeInstanceTypes('cn-north-1', { filters: [{ name: 'az', values: ['cn-north-1a'] }] }),
    answer: { instanceTypes: [{ instanceType: 'g.n2.medium', cpu: 1, memoryMB: 4096 }] },
    method: 'GET',
    path: `${R}/instanceTypes`,
    query: '?filters.1.name=az&filters.1.values.1=cn-north-1a',
    expected: {
      instanceTypes: [{ instanceType: 'g.n2.medium', cpu: 1, memoryMB: 4096 }],
      specificInstanceTypes: [],
    },
  },
  {
    name: 'createSecret',
    call: (c) =>
      c.createSecret('cn-north-1', {
        name: 'reg',
        secretType: 'docker-registry',
        data: { server: 'aHVi', username: 'dQ==', password: 'cA==' },
      }),
    answer: { secretName: 'reg' },
    method: 'POST',
    path: `${R}/secrets`,
    body: {
      name: 'reg',
      secretType: 'docker-registry',
      data: { server: 'aHVi', username: 'dQ==', password: 'cA==' },
    },
    expected: { secretName: 'reg' },
  },
  {
    name: 'describeSecret',
    call: (c) => c.describeSecret('cn-north-1', 'reg'),
    answer: { secret: { name: 'reg', type: 'docker-registry' } },
    method: 'GET',
    path: `${R}/secrets/reg`,
    expected: { name: 'reg', type: 'docker-registry' },
  },
  {
    name: 'describeSecrets',
    call: (c) =>
      c.describeSecrets('cn-north-1', {
        pageNumber: 1,
        pageSize: 20,
        filters: [{ name: 'name', values: ['re'] }],
      }),
    answer: { secrets: [{ name: 'reg' }], totalCount: 1 },
    method: 'GET',
    path: `${R}/secrets`,
    query: '?pageNumber=1&pageSize=20&filters.1.name=name&filters.1.values.1=re',
    expected: { secrets: [{ name: 'reg' }], totalCount: 1 },
  },
  {
    name: 'deleteSecret',
    call: (c) => c.deleteSecret('cn-north-1', 'reg'),
    answer: {},
    method: 'DELETE',
    path: `${R}/secrets/reg`,
    expected: undefined,
  },
];

describe('every operation on the wire', () => {
  it.each(cases)('$name', async (c) => {
    const { client, requests } = clientAnswering(c.answer);
    expect(await c.call(client)).toEqual(c.expected);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    if (!request) return;
    expect(request.method).toBe(c.method);
    expect(request.url.origin).toBe('https://pod.jdcloud-api.com');
    expect(request.url.pathname).toBe(c.path);
    expect(request.url.search).toBe(c.query ?? '');
    if (c.body === undefined) expect(request.body).toBeUndefined();
    else expect(JSON.parse(request.body ?? 'null')).toEqual(c.body);
    await expectSigned(request, 'cn-north-1');
  });

  it('covers every operation of the client', () => {
    const { client } = clientAnswering({});
    // Not operations: the paging helpers, the view of the client at another budget priority, and
    // the WebSocket operations (covered by exec-stream.test.ts and test/workers/exec.test.ts).
    const collected = ['describeAllPods', 'listAllPods', 'withPriority', 'execStart', 'attach'];
    const tested = new Set([...cases.map((c) => c.name), ...collected]);
    expect(Object.keys(client).sort()).toEqual([...tested].sort());
  });

  it('escapes path parameters and refuses empty or dot segments', async () => {
    const { client, requests } = clientAnswering({ pod });
    await client.describePod('cn-east-2', 'pod a:b/c');
    expect(requests[0]?.url.pathname).toBe('/v1/regions/cn-east-2/pods/pod%20a%3Ab%2Fc');
    await expectSigned(requests[0] as RecordedRequest, 'cn-east-2');
    await expect(client.deletePod('cn-north-1', '')).rejects.toThrow(TypeError);
    await expect(client.describePod('cn-north-1', '..')).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(1);
  });
});

describe('describeAllPods', () => {
  it('walks pages of 100 until totalCount, yielding each pod once', async () => {
    const all = Array.from({ length: 230 }, (_, i) => ({ podId: `pod-${i}` }));
    const transport = fakeTransport((req) => {
      const page = Number(req.url.searchParams.get('pageNumber'));
      const size = Number(req.url.searchParams.get('pageSize'));
      // A pod created mid-walk (sorting first) pushes later pages by one: pod-99 reappears on page 2.
      const shift = page > 1 ? 1 : 0;
      const start = (page - 1) * size - shift;
      return jdOk({ pods: all.slice(start, start + size), totalCount: all.length });
    });
    const client = createJdClient({ endpoint: 'https://jd', credentials, fetch: transport.fetch });
    const pods = await client.listAllPods('cn-north-1', {
      filters: [{ name: 'phase', values: ['running'] }],
    });
    expect(pods.map((p) => p.podId)).toEqual(all.map((p) => p.podId));
    expect(transport.requests.map((r) => r.url.search)).toEqual(
      [1, 2, 3].map(
        (n) => `?pageNumber=${n}&pageSize=100&filters.1.name=phase&filters.1.values.1=running`,
      ),
    );
  });

  it('stops after one short page', async () => {
    const transport = fakeTransport(() => jdOk({ pods: [pod], totalCount: 1 }));
    const client = createJdClient({ endpoint: 'https://jd', credentials, fetch: transport.fetch });
    const seen = [];
    for await (const p of client.describeAllPods('cn-north-1')) seen.push(p.podId);
    expect(seen).toEqual(['pod-1']);
    expect(transport.requests).toHaveLength(1);
  });
});

describe('jdClientFromConfig', () => {
  it('needs credentials and uses the configured endpoint', async () => {
    expect(jdClientFromConfig({ endpoint: 'https://pod.jdcloud-api.com' })).toBeUndefined();
    const transport = fakeTransport(() => jdOk({ pod }));
    const client = jdClientFromConfig(
      { endpoint: 'http://127.0.0.1:8788', credentials },
      { fetch: transport.fetch },
    );
    await client?.describePod('cn-south-1', 'pod-1');
    expect(transport.requests[0]?.url.href).toBe(
      'http://127.0.0.1:8788/v1/regions/cn-south-1/pods/pod-1',
    );
    expect(transport.requests[0]?.headers.host).toBe('127.0.0.1:8788');
  });
});
