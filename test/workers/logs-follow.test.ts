import { beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../src/k8s/status';
import { api, createRunningPod, emulator, resetGateway } from '../support/gateway';

const LOG = '/api/v1/namespaces/default/pods/web/log';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
  await createRunningPod('web');
});

const lineNumbers = (text: string) =>
  [...text.matchAll(/app: line (\d+)\n/g)].map((m) => Number(m[1]));

/** Reads the stream until `done(text)` holds. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  sofar: string,
  done: (text: string) => boolean,
): Promise<string> {
  let text = sofar;
  const decoder = new TextDecoder();
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('logs -f', () => {
  it('delivers new lines as JD writes them, each exactly once, until the client leaves', async () => {
    const res = await api('GET', `${LOG}?follow=true&tailLines=2`);
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = await readUntil(reader, '', (t) => lineNumbers(t).length >= 2);
    const first = lineNumbers(text);
    expect(first).toHaveLength(2);
    const last = first[1] as number;
    await emulator.advance(2000);
    text = await readUntil(reader, text, (t) => lineNumbers(t).includes(last + 2));
    const seen = lineNumbers(text);
    // Contiguous from the first line shown: nothing repeated, nothing skipped.
    expect(seen).toEqual(seen.map((_, i) => (first[0] as number) + i));
    await reader.cancel();
    const reads = (await emulator.calls('getContainerLogs')).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await emulator.calls('getContainerLogs')).length).toBeLessThanOrEqual(reads + 1);
  });

  it('stops at limitBytes', async () => {
    const res = await api('GET', `${LOG}?follow=true&limitBytes=30`);
    expect(await res.text()).toHaveLength(30);
  });

  it('refuses previous=true, saying what JD Cloud cannot do', async () => {
    const res = await api('GET', `${LOG}?previous=true`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Status).message).toBe(
      'previous=true is not supported: JD Cloud keeps no log of a previous container instance',
    );
  });

  it('names sinceTime when it is not an RFC 3339 time', async () => {
    const res = await api('GET', `${LOG}?sinceTime=yesterday`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as Status).message).toContain(
      'sinceTime: Invalid value: "yesterday"',
    );
  });
});

describe('timestamps=true', () => {
  it('stamps each line with the RFC 3339 time it carries', async () => {
    await emulator.advance(5000);
    const res = await api('GET', `${LOG}?timestamps=true&tailLines=2`);
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const [stamp, own] = line.split(' ');
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      expect(stamp?.slice(0, 19)).toBe(own?.slice(0, 19));
    }
  });
});
