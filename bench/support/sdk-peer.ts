/** Starts bench/baselines/sdk-server.mjs (the jdcloud-sdk-js peer) as its own Node process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEV_CREDENTIALS } from './jd-direct.ts';
import { root } from './paths.ts';

export interface SdkPeer {
  origin: string;
  stop(): Promise<void>;
}

export function startSdkPeer(emulator: string, regions: Record<string, string>): Promise<SdkPeer> {
  const child = spawn(process.execPath, [join(root, 'bench/baselines/sdk-server.mjs')], {
    env: {
      ...process.env,
      JDCLOUD_ENDPOINT: emulator,
      JDCLOUD_REGIONS: JSON.stringify(regions),
      JDCLOUD_ACCESS_KEY_ID: DEV_CREDENTIALS.accessKeyId,
      JDCLOUD_SECRET_ACCESS_KEY: DEV_CREDENTIALS.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sdk peer did not start in 15 s')), 15_000);
    child.once('exit', (code) => reject(new Error(`sdk peer exited with ${code}`)));
    child.stdout?.on('data', (d: Buffer) => {
      const port = /listening (\d+)/.exec(d.toString())?.[1];
      if (!port) return;
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${port}`, stop });
    });
  });
}
