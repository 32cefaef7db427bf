/**
 * The newcomer's first hour, as the README tells it, through the project's own scripts:
 * `npm start -- --https` says when it is ready, `npm run kubeconfig` writes a file that kubectl
 * uses as it is (HOME and KUBECONFIG only, verified TLS) to list and create pods, and
 * `npm run reset` leaves a state in which a new start has no pods, in the gateway or in the
 * emulator. Everything on free ports, in temp folders: never the developer's ~/.kube, 8787/8788
 * or .wrangler/state.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../support/e2e-stack.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const run = promisify(execFile);

const POD = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
});

interface Started {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

describe('from npm start to kubectl, and back to a clean state', () => {
  let dir: string;
  let stackArgs: string[];
  let kubeconfig: string;
  let gatewayPort: number;
  let current: Started | undefined;

  /** `npm start -- --https --verbose` on the test's ports and folders, until its ready line. */
  async function start(): Promise<Started> {
    // Without the caller's CLOUDFLARE_CF_FETCH_ENABLED: npm start must set it itself.
    const { CLOUDFLARE_CF_FETCH_ENABLED: _, ...env } = process.env;
    const child = spawn(node, ['scripts/start.js', '--https', '--verbose', ...stackArgs], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const stop = async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    const deadline = Date.now() + 120_000;
    while (!/podgate ready in/.test(output)) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`npm start printed no ready line within 120 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    current = { child, output: () => output, stop };
    return current;
  }

  /** kubectl exactly as a user runs it after `export KUBECONFIG=…` (HOME in the temp dir). */
  const kubectl = (args: string[], input?: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        '/usr/bin/kubectl',
        args,
        {
          env: { ...process.env, HOME: join(dir, 'home'), KUBECONFIG: kubeconfig },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            stdout,
            stderr,
          }),
      );
      child.stdin?.end(input ?? '');
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podgate-first-hour-'));
    gatewayPort = await freePort();
    stackArgs = [
      '--port',
      String(gatewayPort),
      '--emulator-port',
      String(await freePort()),
      '--state',
      join(dir, 'state'),
      '--tls-dir',
      join(dir, 'tls'),
    ];
    kubeconfig = join(dir, 'home/.kube/podgate.yaml');
  });

  afterAll(async () => {
    await current?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a kubeconfig kubectl uses as it is, over verified TLS', {
    timeout: 240_000,
  }, async () => {
    const stack = await start();
    const ready =
      stack
        .output()
        .split('\n')
        .find((l) => l.startsWith('podgate ready in')) ?? '';
    expect(ready).toContain(`gateway https://127.0.0.1:${gatewayPort}`);
    expect(ready).toContain('podgate-dev-admin');
    // The next command, with the options that find this gateway and its certificate.
    expect(ready).toContain(
      `npm run kubeconfig -- --port ${gatewayPort} --tls-dir ${join(dir, 'tls')}`,
    );
    // Offline-safe: Miniflare was not asked to fetch the Request.cf object.
    expect(stack.output()).not.toContain('Request.cf');

    const written = await run(node, ['scripts/kubeconfig.js', kubeconfig, ...stackArgs], {
      cwd: root,
    });
    expect(written.stdout).toBe(`export KUBECONFIG=${kubeconfig}\n`);
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const config = parse(readFileSync(kubeconfig, 'utf8'));
    const cluster = config.clusters[0].cluster;
    expect(cluster.server).toBe(`https://127.0.0.1:${gatewayPort}`);
    expect(cluster['insecure-skip-tls-verify']).toBeUndefined();
    expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).toBe(
      readFileSync(join(dir, 'tls/cert.pem'), 'utf8'),
    );

    const empty = await kubectl(['get', 'pods']);
    expect(empty, empty.stderr).toMatchObject({ code: 0 });
    expect(empty.stderr).toContain('No resources found in default namespace.');
    const created = await kubectl(['create', '-f', '-'], POD);
    expect(created.stdout, created.stderr).toContain('pod/web created');
    const listed = await kubectl(['get', 'pods', '-o', 'name']);
    expect(listed.stdout.trim()).toBe('pod/web');
  });

  it('refuses to reset under a running npm start, then resets to a clean state', {
    timeout: 240_000,
  }, async () => {
    const state = join(dir, 'state');
    const refused = await run(node, ['scripts/reset.js', '--state', state], { cwd: root }).catch(
      (error) => error,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('stop it (Ctrl-C) first');
    expect(existsSync(join(state, 'gateway'))).toBe(true);

    await current?.stop();
    const reset = await run(node, ['scripts/reset.js', '--state', state], { cwd: root });
    // It says what it deletes before deleting it.
    expect(reset.stdout).toContain(join(state, 'gateway'));
    expect(reset.stdout).toContain(join(state, 'emulator'));
    expect(reset.stdout).toMatch(/deleted/);
    expect(existsSync(join(state, 'gateway'))).toBe(false);
    expect(existsSync(join(state, 'emulator'))).toBe(false);

    // Restarted on the same folders: no pod in the gateway, and none left on the emulator for
    // the gateway to adopt again (a list adopts JD pods it has no record of).
    await start();
    const after = await kubectl(['get', 'pods']);
    expect(after, after.stderr).toMatchObject({ code: 0 });
    expect(after.stderr).toContain('No resources found in default namespace.');
    // The kubeconfig written before the reset still verifies: the certificate was kept.
    expect(after.stderr).not.toMatch(/certificate/i);
  });

  it('never overwrites a kubeconfig it did not write, and says when a port is taken', async () => {
    await current?.stop();
    const foreign = join(dir, 'home/.kube/config');
    mkdirSync(join(dir, 'home/.kube'), { recursive: true });
    writeFileSync(foreign, 'apiVersion: v1\nkind: Config\n# the developer own\n');
    const refused = await run(node, ['scripts/kubeconfig.js', foreign, ...stackArgs], {
      cwd: root,
    }).catch((error) => error);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a podgate kubeconfig');
    expect(readFileSync(foreign, 'utf8')).toContain('the developer own');

    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(gatewayPort, '127.0.0.1', r));
    try {
      const taken = await run(node, ['scripts/start.js', ...stackArgs], { cwd: root }).catch(
        (error) => error,
      );
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`port ${gatewayPort} (the gateway) is in use`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
