import { beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../src/k8s/status';
import { api, createRunningPod, emulator, resetGateway, VIEWER } from '../support/gateway';
import { execQuery, openRemote } from '../support/remote-command';

const EMULATOR = 'http://127.0.0.1:8788/__emulator';
const liveStreams = async () =>
  ((await (await fetch(`${EMULATOR}/streams`)).json()) as { streams: unknown[] }).streams;

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
  await createRunningPod('web');
});

describe('exec over v5.channel.k8s.io', () => {
  it('runs a command: stdout on channel 1, Success on channel 3, then a normal close', async () => {
    const s = await openRemote('web', 'exec', execQuery(['echo', 'hi']));
    expect(s.protocol).toBe('v5.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    expect(s.output[1]).toBe('hi\n');
    expect(s.status()).toMatchObject({ status: 'Success' });
    expect((await emulator.calls()).map((c) => c.operation)).toEqual(
      expect.arrayContaining(['execCreate', 'execStart', 'execGetExitCode']),
    );
  });

  it('reports a non-zero exit as NonZeroExitCode with an ExitCode cause', async () => {
    const s = await openRemote('web', 'exec', execQuery(['sh', '-c', 'echo oops >&2; exit 3']));
    await s.closed;
    expect(s.output[2]).toBe('oops\n');
    expect(s.output[1]).toBeUndefined();
    expect(s.status()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
      code: 500,
    });
  });

  it('carries stdin to cat and ends it when the client closes channel 0', async () => {
    const s = await openRemote('web', 'exec', execQuery(['cat'], { stdin: true }));
    s.stdin('one\n');
    await s.waitFor(1, 'one\n');
    s.stdin('two');
    s.closeStdin();
    await s.closed;
    expect(s.output[1]).toBe('one\ntwo');
    expect(s.status()).toMatchObject({ status: 'Success' });
  });

  it('drops the channels the client did not ask for', async () => {
    const s = await openRemote(
      'web',
      'exec',
      execQuery(['sh', '-c', 'echo out; echo err >&2'], { stderr: false }),
    );
    await s.closed;
    expect(s.output[1]).toBe('out\n');
    expect(s.output[2]).toBeUndefined();
  });

  it('runs an interactive shell on a TTY, and resize reaches JD as resizeTTY', async () => {
    const s = await openRemote(
      'web',
      'exec',
      execQuery(['sh'], { stdin: true, tty: true, stderr: false }),
    );
    await s.waitFor(1, '/ # ');
    s.resize(120, 40);
    s.stdin('hostname\r');
    await s.waitFor(1, 'hostname\r\n');
    s.stdin('stty size\r');
    await s.waitFor(1, '40 120\r\n');
    s.stdin('exit 4\r');
    await s.closed;
    expect(s.status()).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ message: '4' }] },
    });
    const resizes = await emulator.calls('resizeTTY');
    expect(resizes).toHaveLength(1);
    expect(resizes[0]?.status).toBe(200);
  });

  it('ends a command on Ctrl-C with exit code 130', async () => {
    const s = await openRemote(
      'web',
      'exec',
      execQuery(['sleep', '3600'], { stdin: true, tty: true, stderr: false }),
    );
    await expect.poll(liveStreams).toHaveLength(1);
    s.stdin('\u0003');
    await s.closed;
    expect(s.output[1]).toBe('^C\r\n');
    expect(s.status()).toMatchObject({ details: { causes: [{ message: '130' }] } });
  });

  it('speaks v4.channel.k8s.io to clients that offer only that', async () => {
    const s = await openRemote('web', 'exec', execQuery(['hostname']), {
      protocol: 'v4.channel.k8s.io',
    });
    expect(s.protocol).toBe('v4.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    expect(s.output[1]).toMatch(/\S+\n/);
    expect(s.status()).toMatchObject({ status: 'Success' });
  });

  it('reports a JD failure mid-session as a Failure Status naming JD Cloud', async () => {
    const s = await openRemote('web', 'exec', execQuery(['sleep', '3600']));
    await expect.poll(liveStreams).toHaveLength(1);
    const broken = await fetch(`${EMULATOR}/streams`, { method: 'DELETE' });
    expect(await broken.json()).toEqual({ broken: 1 });
    expect(await s.closed).toBe(1000);
    expect(s.status()).toMatchObject({
      status: 'Failure',
      reason: 'InternalError',
      message: expect.stringMatching(/^JD Cloud ended the exec stream of pod web: stream broken/),
    });
  });

  it('ends the stream when JD stops the pod under it', async () => {
    const s = await openRemote('web', 'exec', execQuery(['sleep', '3600']));
    await expect.poll(liveStreams).toHaveLength(1);
    expect((await api('POST', '/api/v1/namespaces/default/pods/web/stop')).status).toBe(200);
    await s.closed;
    expect(s.status()).toMatchObject({
      status: 'Failure',
      message: expect.stringMatching(/is stopping/),
    });
  });

  it('closes the JD stream when the client leaves', async () => {
    const s = await openRemote('web', 'exec', execQuery(['sleep', '3600']));
    await expect.poll(liveStreams).toHaveLength(1);
    s.socket.close(1000, 'bye');
    await expect.poll(liveStreams).toHaveLength(0);
  });

  it('answers a JD refusal inside the upgraded stream (no fallback that hides it)', async () => {
    await emulator.fault('execCreate', { status: 503 });
    const s = await openRemote('web', 'exec', execQuery(['echo', 'hi']));
    await s.closed;
    expect(s.status()).toMatchObject({
      status: 'Failure',
      message: expect.stringMatching(/^JD Cloud refused exec on pod web: /),
    });
  });
});

describe('exec refusals', () => {
  it('refuses a viewer in the apiserver words, before any JD call', async () => {
    await emulator.clearCalls();
    const res = await api(
      'GET',
      `/api/v1/namespaces/default/pods/web/exec?${execQuery(['echo'])}`,
      {
        token: VIEWER,
        headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
      },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      reason: 'Forbidden',
      message:
        'pods "web" is forbidden: User "dev-viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    });
    expect(await emulator.calls()).toEqual([]);
  });

  it('needs a command, and says so as the apiserver does', async () => {
    const res = await api('GET', '/api/v1/namespaces/default/pods/web/exec?stdout=true', {
      headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'you must specify at least 1 command' });
  });

  it('refuses SPDY (kubectl < 1.30, or its fallback) with a Status that says why', async () => {
    const res = await api(
      'POST',
      `/api/v1/namespaces/default/pods/web/exec?${execQuery(['echo'])}`,
      {
        headers: { Upgrade: 'SPDY/3.1', Connection: 'Upgrade' },
      },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as Status).message).toMatch(
      /^pods\/exec over SPDY is not supported by podgate/,
    );
  });

  it('404s a pod that does not exist', async () => {
    const res = await api(
      'GET',
      `/api/v1/namespaces/default/pods/nope/exec?${execQuery(['echo'])}`,
      {
        headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
      },
    );
    expect(res.status).toBe(404);
  });

  it.each([
    ['portforward', 'GET', 'port forwarding'],
    ['ephemeralcontainers', 'PATCH', 'ephemeral containers'],
    ['eviction', 'POST', 'eviction'],
  ])('answers pods/%s with a Status naming it', async (sub, method, what) => {
    const res = await api(
      method,
      `/api/v1/namespaces/default/pods/web/${sub}`,
      method === 'GET' ? {} : { body: {} },
    );
    expect(res.status).toBe(405);
    const body = (await res.json()) as Status;
    expect(body).toMatchObject({
      kind: 'Status',
      reason: 'MethodNotAllowed',
      details: { name: 'web', kind: `pods/${sub}` },
    });
    expect(body.message).toContain(
      `pods/${sub} is not supported: JD Cloud pods do not support ${what}`,
    );
  });
});

describe('attach', () => {
  it('streams the container output as it is written, and echoes stdin', async () => {
    const s = await openRemote('web', 'attach', 'stdout=true&stderr=true&stdin=true');
    await s.waitFor(1, 'app: line ');
    const before = s.output[1] ?? '';
    const lastLine = Number(/line (\d+)\n$/.exec(before)?.[1]);
    await emulator.advance(2000);
    await s.waitFor(1, `line ${lastLine + 2}\n`);
    s.stdin('hello\n');
    await s.waitFor(1, 'hello\n');
    s.socket.close(1000, 'bye');
    await expect.poll(liveStreams).toHaveLength(0);
  });
});
