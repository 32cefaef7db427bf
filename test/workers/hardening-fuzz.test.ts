/**
 * Hostile traffic on every route, property-based (fast-check), for issue 17: bodies built to
 * amplify work (doubling JSON-patches, deep nesting under any media type, prototype keys, huge
 * quantities), hostile headers, selectors and query strings. Every answer is a 2xx or a 4xx
 * Status, arrives within HANG_MS, and a reader of the same namespace running alongside is
 * served normally each time. Runs are bounded so the file takes well under 20 s.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiJson, emulator, podManifest, resetGateway } from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';
const HANG_MS = 4_000;
const RUNS = 150;

beforeAll(async () => {
  await emulator.reset();
  await resetGateway();
  await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
});

// ── generators ────────────────────────────────────────────────────────────────────────────

const deepText = fc
  .tuple(fc.integer({ min: 101, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`);

const doublingPatch = fc.integer({ min: 10, max: 40 }).map((n) => {
  const ops: object[] = [
    { op: 'add', path: '/metadata/annotations', value: { s: 'x'.repeat(64) } },
  ];
  for (let i = 0; i < n; i++) {
    ops.push({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` });
  }
  return JSON.stringify(ops);
});

const protoKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
);
const protoPatch = fc
  .tuple(protoKeys, fc.jsonValue({ maxDepth: 2 }))
  .map(
    ([key, value]) =>
      `{"metadata":{"labels":{"${key}":${JSON.stringify(value)}},"${key}":{"polluted":true}}}`,
  );

const hostileQuantity = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('x', '.', 'e', 'Ki+', ''))
  .map(([n, tail]) =>
    JSON.stringify(
      podManifest('q', {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            resources: { limits: { cpu: `${'1'.repeat(n)}${tail}` } },
          },
        ],
      } as never),
    ),
  );

const setOrderPatch = fc.integer({ min: 1_000, max: 20_000 }).map((n) =>
  JSON.stringify({
    spec: {
      containers: [
        {
          name: 'app',
          '$setElementOrder/env': Array.from({ length: n }, (_, i) => ({ name: `V${i}` })),
          env: Array.from({ length: Math.min(n, 2_000) }, (_, i) => ({
            name: `V${i}`,
            value: 'v',
          })),
        },
      ],
    },
  }),
);

const hostileBody = fc.oneof(
  deepText,
  doublingPatch,
  protoPatch,
  hostileQuantity,
  setOrderPatch,
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constant(''),
);

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ),
  fc.string({ maxLength: 40 }),
);

const selector = fc.oneof(
  protoKeys,
  protoKeys.map((k) => `${k}=x`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `metadata.name=${'='.repeat(n)}`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('app in (web', 'app notin ()', '!!app', 'a>b', 'app>1e400', ',,,'),
);

const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('-1', '1e400', '99999999999999999999', 'NaN', 'true', '0x10', ''),
  fc.integer().map(String),
);

const queryKey = fc.constantFrom(
  'gracePeriodSeconds',
  'propagationPolicy',
  'dryRun',
  'limit',
  'continue',
  'timeoutSeconds',
  'resourceVersion',
  'resourceVersionMatch',
  'allowWatchBookmarks',
  'fieldManager',
  'fieldValidation',
  'force',
  'tailLines',
  'limitBytes',
  'sinceSeconds',
  'container',
  'watch',
  'pretty',
);

const route = fc.constantFrom(
  ['GET', NS],
  ['GET', '/api/v1/pods'],
  ['POST', NS],
  ['GET', `${NS}/web`],
  ['PUT', `${NS}/web`],
  ['PATCH', `${NS}/web`],
  ['DELETE', `${NS}/web`],
  ['GET', `${NS}/web/log`],
  ['POST', `${NS}/web/stop`],
  ['POST', `${NS}/web/start`],
  ['GET', '/api'],
  ['GET', '/api/v1'],
  ['GET', '/openapi/v3'],
  ['GET', '/healthz'],
);

const request = fc.record({
  route,
  body: hostileBody,
  contentType,
  labelSelector: fc.option(selector, { nil: undefined }),
  fieldSelector: fc.option(selector, { nil: undefined }),
  query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
  requestId: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  accept: fc.option(
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constant('application/json;as=Table;v=v1;g=meta.k8s.io'),
    ),
    { nil: undefined },
  ),
});

// ── the property ───────────────────────────────────────────────────────────────────────────

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms: ${what}`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe('hostile traffic on every route', () => {
  it('never answers 5xx, answers in bounded time, and leaves a concurrent reader unaffected', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, base] = r.route as [string, string];
        const params = new URLSearchParams(r.query);
        // Mutations stay dry runs where the route takes them, so the pod the reader reads stays.
        if (method !== 'GET') params.set('dryRun', 'All');
        if (r.labelSelector !== undefined) params.set('labelSelector', r.labelSelector);
        if (r.fieldSelector !== undefined) params.set('fieldSelector', r.fieldSelector);
        if (method === 'GET' && params.get('watch')) params.set('timeoutSeconds', '1');
        const path = `${base}?${params}`;
        const headers: Record<string, string> = {};
        if (r.requestId !== undefined)
          headers['X-Request-Id'] = r.requestId.replace(/[^\x20-\x7e]/g, '');
        if (r.accept !== undefined) headers.Accept = r.accept.replace(/[^\x20-\x7e]/g, '');
        const hasBody = method !== 'GET';
        const what = `${method} ${path.slice(0, 200)} ${r.contentType} ${r.body.slice(0, 120)}`;
        const started = Date.now();
        const [res, reader] = await within(
          Promise.all([
            api(method, path, {
              headers,
              ...(hasBody
                ? {
                    body: r.body,
                    contentType: r.contentType.replace(/[^\x20-\x7e]/g, '') || 'text/plain',
                  }
                : {}),
            }),
            api('GET', `${NS}/web`),
          ]),
          what,
        );
        const text = await within(res.text(), what);
        expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(res.headers.get('X-Content-Type-Options'), what).toBe('nosniff');
        if (res.status >= 400 && res.headers.get('Content-Type')?.includes('json')) {
          expect(JSON.parse(text), what).toMatchObject({ kind: 'Status', code: res.status });
        }
        expect(reader.status, what).toBe(200);
        await reader.body?.cancel();
        expect(Date.now() - started, what).toBeLessThan(HANG_MS);
      }),
      { numRuns: RUNS },
    );
    // The pod the reader read is still there, unchanged by any of it.
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
  }, 60_000);
});
