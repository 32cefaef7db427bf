import { describe, expect, it } from 'vitest';
import { type ProcessIo, runCommand } from './exec-programs';

function io(stdin: string[] = [], tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const process: ProcessIo = {
    hostname: 'pod-1',
    env: { GREETING: 'hello' },
    tty,
    size: () => ({ rows: 40, cols: 120 }),
    write: (stream, text) => (stream === 'stdout' ? out : err).push(text),
    read: async () => stdin.shift() ?? null,
    sleep: async () => {},
  };
  return { process, out: () => out.join(''), err: () => err.join('') };
}

describe('runCommand', () => {
  it('echoes, reports the hostname and environment', async () => {
    const a = io();
    expect(await runCommand(['echo', 'hi', 'there'], a.process)).toBe(0);
    expect(a.out()).toBe('hi there\n');
    const b = io();
    await runCommand(['hostname'], b.process);
    expect(b.out()).toBe('pod-1\n');
    const c = io();
    await runCommand(['env'], c.process);
    expect(c.out()).toBe('GREETING=hello\n');
  });

  it('copies stdin with cat until it ends', async () => {
    const a = io(['a\n', 'b']);
    expect(await runCommand(['cat'], a.process)).toBe(0);
    expect(a.out()).toBe('a\nb');
  });

  it('runs sh -c scripts with exit codes, && / ||, and >&2', async () => {
    const a = io();
    expect(await runCommand(['sh', '-c', 'echo one; echo two >&2; exit 3'], a.process)).toBe(3);
    expect(a.out()).toBe('one\n');
    expect(a.err()).toBe('two\n');
    const b = io();
    expect(await runCommand(['sh', '-c', 'false && echo no || echo yes'], b.process)).toBe(0);
    expect(b.out()).toBe('yes\n');
  });

  it('runs each line of an interactive shell until exit', async () => {
    const a = io(['echo a\nhostname\n', 'exit 7\n'], true);
    expect(await runCommand(['sh'], a.process)).toBe(7);
    expect(a.out()).toBe('/ # a\n/ # pod-1\n/ # ');
  });

  it('exits 127 for what it cannot run', async () => {
    const a = io();
    expect(await runCommand(['python3'], a.process)).toBe(127);
    expect(a.err()).toContain('executable file not found in $PATH');
    const b = io();
    expect(await runCommand(['sh', '-c', 'nope'], b.process)).toBe(127);
    expect(b.err()).toBe('sh: nope: not found\n');
  });
});
