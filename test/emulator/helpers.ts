/**
 * Drives the emulator Worker from inside workerd: JD calls signed with the shared signing core
 * (as podgate's client signs them), control calls unsigned.
 */
import { exports } from 'cloudflare:workers';
import { signRequest } from '../../src/jdcloud/signature';

export const ORIGIN = 'http://jdcloud-emulator.test';
export const DEV_CREDENTIALS = { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' };

export interface JdAnswer {
  status: number;
  requestIdHeader: string | null;
  body: {
    requestId: string;
    // biome-ignore lint/suspicious/noExplicitAny: JD results are checked field by field in tests
    result?: any;
    error?: { code: number; status: string; message: string };
  };
}

export interface JdCallOptions {
  query?: Record<string, string | number>;
  body?: unknown;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** Extra or replacing headers after signing (to tamper with a signed request). */
  afterSigning?: (headers: Record<string, string>) => void;
}

/** A signed JD call; `path` is below `/v1` and may spell actions as `:x` (sent as `%3Ax`). */
export async function jd(
  method: string,
  path: string,
  options: JdCallOptions = {},
): Promise<JdAnswer> {
  const url = new URL(`${ORIGIN}/v1${path.replaceAll(':', '%3A')}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.append(k, String(v));
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = await signRequest({
    method,
    url,
    body,
    credentials: options.credentials ?? DEV_CREDENTIALS,
    region: options.region ?? /regions\/([^/]+)/.exec(path)?.[1] ?? 'jdcloud-api',
  });
  options.afterSigning?.(headers);
  return send(new Request(url, { method, headers, body }));
}

/** Sends a prepared request to the emulator and reads JD's envelope. */
export async function send(request: Request): Promise<JdAnswer> {
  const res = await exports.default.fetch(request);
  return {
    status: res.status,
    requestIdHeader: res.headers.get('x-jdcloud-request-id'),
    body: (await res.json()) as JdAnswer['body'],
  };
}

/** An unsigned call to a control endpoint (`/__emulator/...`). */
export async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request(`${ORIGIN}/__emulator/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

export const advanceClock = (advanceMs: number) => control('POST', 'clock', { advanceMs });

/** A minimal valid createPods podSpec for cn-north-1. */
export function podSpec(overrides: Record<string, unknown> = {}) {
  return {
    name: 'web',
    instanceType: 'g.n2.medium',
    az: 'cn-north-1a',
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        systemDisk: { category: 'cloud', diskType: 'ssd.gp1', sizeGB: 20 },
      },
    ],
    primaryNetworkInterface: {
      networkInterface: { subnetId: 'subnet-abc123', securityGroups: ['sg-abc123'] },
    },
    ...overrides,
  };
}

/** Creates one pod and returns its id. */
export async function createPod(
  overrides: Record<string, unknown> = {},
  region = 'cn-north-1',
): Promise<string> {
  const answer = await jd('POST', `/regions/${region}/pods`, {
    body: { podSpec: podSpec(overrides), maxCount: 1 },
  });
  if (answer.status !== 200) throw new Error(`createPods failed: ${JSON.stringify(answer.body)}`);
  return answer.body.result.podIds[0];
}

export const phaseOf = async (podId: string, region = 'cn-north-1') =>
  (await jd('GET', `/regions/${region}/pods/${podId}`)).body.result?.pod?.podStatus?.phase;
