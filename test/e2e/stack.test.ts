import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const auth = { Authorization: 'Bearer podgate-dev-admin', 'Content-Type': 'application/json' };

describe('the gateway under wrangler dev, backed by the emulator', () => {
  it('creates a pod on the emulator and sees it run once the emulator clock moves', async () => {
    const created = await fetch(`${stack.gateway}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        metadata: { name: 'e2e' },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      }),
    });
    expect(created.status).toBe(201);
    await stack.advance(3_600_000);
    const read = await fetch(`${stack.gateway}/api/v1/namespaces/default/pods/e2e`, {
      headers: auth,
    });
    expect(read.status).toBe(200);
    const pod = (await read.json()) as { status: { phase: string } };
    expect(pod.status.phase).toBe('Running');
  });
});
