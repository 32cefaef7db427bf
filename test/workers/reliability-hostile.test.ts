/**
 * Hostile input, property-based (fast-check): random JSON bodies, JSON-patches, selectors and
 * query strings, deep nesting, huge strings, wrong types and wrong media types. Every answer is a
 * 2xx or a 4xx Status (never a 500, never a hang), and input that is invalid by construction never
 * reaches JD Cloud. Runs are bounded so the file takes seconds.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { api, apiJson, emulator, podManifest } from '../support/gateway';
import { driveJournal, freshCell } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
/** A request that has not answered by then counts as a hang. */
const HANG_MS = 5_000;
const RUNS = 50;

beforeEach(freshCell);

/** A running pod named `web`, with the journal idle and the call log empty. */
async function quietPod(): Promise<void> {
  await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
  await emulator.settle();
  await apiJson('GET', `${NS}/web`, 200);
  await driveJournal();
  await emulator.clearCalls();
}

interface Sent {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
}

/** Sends one request; fails on a 5xx, a hang, or a 4xx that is not a Kubernetes Status. */
async function expectNoServerError(req: Sent): Promise<number> {
  const options = {
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.contentType ? { contentType: req.contentType } : {}),
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms`)), HANG_MS);
  });
  const res = await Promise.race([api(req.method, req.path, options), hang]).finally(() =>
    clearTimeout(timer),
  );
  // A 2xx may be a watch that runs for its own timeoutSeconds: only an error's body is read.
  if (res.status < 400) {
    await res.body?.cancel();
    return res.status;
  }
  const text = await res.text();
  const what = `${req.method} ${req.path.slice(0, 200)} ${String(req.body).slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  const status = JSON.parse(text) as { kind?: string; code?: number; message?: string };
  expect(status, what).toMatchObject({ kind: 'Status', code: res.status });
  expect(status.message, what).toBeTruthy();
  return res.status;
}

/** Runs `property` and then checks that no request of the run called JD Cloud. */
async function expectNoJdCall(run: () => Promise<void>): Promise<void> {
  await emulator.clearCalls();
  await run();
  expect(await emulator.calls()).toEqual([]);
}

// ── generators ────────────────────────────────────────────────────────────────────────────

const anyJson = fc.jsonValue({ maxDepth: 4 });
const notAnObject = fc.oneof(
  fc.array(anyJson, { maxLength: 4 }),
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
/** Something of a type a field does not take. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
);

/** A Pod whose name is valid but one field has a type no Pod accepts. */
const podWithWrongType = fc
  .tuple(
    fc.constantFrom(
      ['metadata'],
      ['metadata', 'labels'],
      ['metadata', 'annotations'],
      ['spec'],
      ['spec', 'containers'],
      ['spec', 'restartPolicy'],
      ['spec', 'containers', 0, 'image'],
      ['spec', 'containers', 0, 'ports'],
      ['spec', 'containers', 0, 'env'],
      ['spec', 'containers', 0, 'resources'],
    ),
    wrongType,
  )
  .map(([path, value]) => {
    const pod = podManifest('web') as Record<string, unknown>;
    let at: Record<string | number, unknown> = pod;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1] as string | number] = value;
    return pod;
  });

/** A Pod with a random extra (or broken) field somewhere: may be valid, may not. */
const podLike = fc.record(
  {
    apiVersion: fc.oneof(fc.constant('v1'), fc.string()),
    kind: fc.oneof(fc.constant('Pod'), fc.string()),
    metadata: fc.oneof(
      fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) }),
      fc.dictionary(fc.string(), anyJson, { maxKeys: 3 }),
    ),
    spec: fc.oneof(
      fc.record({
        containers: fc.array(
          fc.record({
            name: fc.oneof(fc.constant('app'), fc.string()),
            image: fc.oneof(fc.constant('nginx'), fc.string()),
          }),
          { maxLength: 2 },
        ),
      }),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);

const opName = fc.oneof(
  fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'),
  fc.string({ maxLength: 8 }),
);
const pointer = fc.oneof(
  fc.constantFrom(
    '/metadata/labels/app',
    '/metadata/annotations',
    '/metadata/name',
    '/metadata/uid',
    '/spec/containers/0/image',
    '/spec/containers/1',
    '/spec/containers/-',
    '/status/phase',
    '/spec/restartPolicy',
  ),
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  fc.string({ maxLength: 12 }),
);
const jsonPatch = fc.array(
  fc.record(
    { op: opName, path: pointer, from: pointer, value: anyJson },
    { requiredKeys: ['op', 'path'] },
  ),
  { maxLength: 5 },
);
/** Never a valid patch: an operation the RFC does not know, or a body that is not an array. */
const brokenJsonPatch = fc.oneof(
  fc
    .tuple(
      fc
        .string({ maxLength: 8 })
        .filter((op) => !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)),
      pointer,
    )
    .map(([op, path]) => [{ op, path, value: 'x' }]),
  fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), anyJson, { maxKeys: 3 })),
);

const selectorText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[a-z]{1,5}$/),
        fc.constantFrom('=', '==', '!=', ' in ', ' notin ', '', '!', ' ', '=('),
        fc.string({ maxLength: 8 }),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((terms) => terms.map(([k, op, v]) => `${k}${op}${v}`).join(',')),
);

const queryString = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'continue',
        'labelSelector',
        'fieldSelector',
        'dryRun',
        'gracePeriodSeconds',
        'fieldValidation',
        'watch',
        'timeoutSeconds',
        'resourceVersion',
        'pretty',
        'tailLines',
        'container',
      ),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String)),
    { maxKeys: 4 },
  )
  .map((params) => new URLSearchParams(params).toString());

const deep = (depth: number, leaf: string, wrap: (inner: string) => string) => {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = wrap(text);
  return text;
};

// ── properties ────────────────────────────────────────────────────────────────────────────

describe('hostile input never makes podgate fail', { timeout: 60_000 }, () => {
  it('random JSON bodies on create answer 2xx or a 4xx Status', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, podLike), async (body) => {
        await expectNoServerError({
          method: 'POST',
          path: `${NS}?dryRun=All`,
          body: JSON.stringify(body),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('bodies that cannot be a Pod never reach JD Cloud', async () => {
    await expectNoJdCall(() =>
      fc.assert(
        fc.asyncProperty(fc.oneof(notAnObject, podWithWrongType), async (body) => {
          const code = await expectNoServerError({
            method: 'POST',
            path: NS,
            body: JSON.stringify(body),
          });
          expect(code).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('random JSON-patches, merge patches and PUTs answer 2xx or a 4xx Status', async () => {
    await quietPod();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          jsonPatch.map((body) => ({
            contentType: 'application/json-patch+json',
            body,
            method: 'PATCH',
          })),
          fc.oneof(anyJson, podLike).map((body) => ({
            contentType: 'application/merge-patch+json',
            body,
            method: 'PATCH',
          })),
          fc.oneof(anyJson, podLike).map((body) => ({
            contentType: 'application/strategic-merge-patch+json',
            body,
            method: 'PATCH',
          })),
          fc
            .oneof(anyJson, podLike)
            .map((body) => ({ contentType: 'application/json', body, method: 'PUT' })),
        ),
        async ({ method, contentType, body }) => {
          await expectNoServerError({
            method,
            path: `${NS}/web?dryRun=All`,
            body: JSON.stringify(body),
            contentType,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('patches that cannot apply never reach JD Cloud', async () => {
    await quietPod();
    await expectNoJdCall(() =>
      fc.assert(
        fc.asyncProperty(brokenJsonPatch, async (body) => {
          const code = await expectNoServerError({
            method: 'PATCH',
            path: `${NS}/web`,
            body: JSON.stringify(body),
            contentType: 'application/json-patch+json',
          });
          expect(code).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it('random label and field selectors answer 2xx or a 4xx Status', async () => {
    await quietPod();
    await fc.assert(
      fc.asyncProperty(selectorText, selectorText, async (label, field) => {
        const q = new URLSearchParams({ labelSelector: label, fieldSelector: field });
        await expectNoServerError({ method: 'GET', path: `${NS}?${q}` });
        await expectNoServerError({ method: 'GET', path: `/api/v1/pods?${q}` });
      }),
      { numRuns: RUNS },
    );
  });

  it('selectors that cannot parse never reach JD Cloud', async () => {
    const badLabel = fc.string({ maxLength: 10 }).map((s) => `@${s}=x`);
    const badField = fc.stringMatching(/^[a-z]{1,8}$/).map((s) => `spec.${s}=x`);
    await expectNoJdCall(() =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(
            badLabel.map((s) => `labelSelector=${encodeURIComponent(s)}`),
            badField.map((s) => `fieldSelector=${encodeURIComponent(s)}`),
          ),
          async (query) => {
            expect(await expectNoServerError({ method: 'GET', path: `${NS}?${query}` })).toBe(400);
          },
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it('random query strings on every pod route answer 2xx or a 4xx Status', async () => {
    await quietPod();
    const routes: Sent[] = [
      { method: 'GET', path: NS },
      { method: 'GET', path: '/api/v1/pods' },
      { method: 'GET', path: `${NS}/web` },
      { method: 'GET', path: `${NS}/web/log` },
      { method: 'POST', path: NS, body: podManifest('other') },
      { method: 'DELETE', path: `${NS}/nothing` },
      { method: 'POST', path: `${NS}/nothing/stop` },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: { metadata: { labels: { x: 'y' } } },
        contentType: 'application/merge-patch+json',
      },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), queryString, async (route, query) => {
        // A watch that is allowed to run is not a hang: bound it.
        const bounded = `${query}&timeoutSeconds=1`;
        await expectNoServerError({
          ...route,
          path: `${route.path}?${bounded}`,
          ...(route.body !== undefined ? { body: JSON.stringify(route.body) } : {}),
        });
      }),
      // A watch whose own timeoutSeconds outlives HANG_MS: its 200 must not be read to the end.
      { numRuns: RUNS, examples: [[routes[0] as Sent, 'watch=t&timeoutSeconds=3600']] },
    );
  });

  it('deep nesting, huge strings and wrong media types are refused without JD calls', async () => {
    await quietPod();
    const deepArray = deep(100_000, '1', (s) => `[${s}]`);
    const deepObject = deep(20_000, '1', (s) => `{"a":${s}}`);
    const deepAnnotation = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep","annotations":${deepObject}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}`;
    const deepLabels = `{"metadata":{"labels":${deepObject}}}`;
    const huge = 'x'.repeat(900_000);
    const tooBig = 'x'.repeat(2_000_000);
    const cases: Sent[] = [
      { method: 'POST', path: NS, body: deepArray },
      { method: 'POST', path: NS, body: deepObject },
      { method: 'POST', path: NS, body: deepAnnotation },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: deepLabels,
        contentType: 'application/merge-patch+json',
      },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: deepLabels,
        contentType: 'application/strategic-merge-patch+json',
      },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: deepArray,
        contentType: 'application/json-patch+json',
      },
      { method: 'POST', path: NS, body: JSON.stringify(podManifest(huge)) },
      {
        method: 'POST',
        path: NS,
        body: JSON.stringify({
          ...(podManifest('big') as object),
          metadata: { name: 'big', annotations: { a: huge } },
        }),
      },
      { method: 'POST', path: NS, body: tooBig },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: JSON.stringify({ metadata: { labels: { a: huge } } }),
        contentType: 'application/merge-patch+json',
      },
      { method: 'GET', path: `${NS}?labelSelector=${'a'.repeat(50_000)}` },
      { method: 'GET', path: `${NS}/${'a'.repeat(10_000)}` },
      {
        method: 'POST',
        path: NS,
        body: JSON.stringify(podManifest('web2')),
        contentType: 'text/plain',
      },
      {
        method: 'POST',
        path: NS,
        body: JSON.stringify(podManifest('web2')),
        contentType: 'application/xml',
      },
      {
        method: 'POST',
        path: NS,
        body: 'name=web2',
        contentType: 'application/x-www-form-urlencoded',
      },
      {
        method: 'POST',
        path: NS,
        body: JSON.stringify(podManifest('web2')),
        contentType: 'multipart/form-data; boundary=x',
      },
      { method: 'PATCH', path: `${NS}/web`, body: '{}', contentType: 'application/json' },
      {
        method: 'PATCH',
        path: `${NS}/web`,
        body: '{}',
        contentType: 'application/apply-patch+yaml',
      },
      { method: 'PATCH', path: `${NS}/web`, body: '[]', contentType: 'text/plain' },
      { method: 'PUT', path: `${NS}/web`, body: '{}', contentType: 'application/merge-patch+json' },
      { method: 'POST', path: NS, body: '{"metadata":', contentType: 'application/json' },
      { method: 'POST', path: NS, body: '\u0000\uFFFF', contentType: 'application/json' },
    ];
    await expectNoJdCall(async () => {
      for (const c of cases) {
        const code = await expectNoServerError(c);
        expect(
          code,
          `${c.method} ${c.contentType ?? ''} ${String(c.body).slice(0, 60)}`,
        ).toBeGreaterThanOrEqual(400);
      }
    });
  });
});
