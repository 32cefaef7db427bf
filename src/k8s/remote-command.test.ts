import { describe, expect, it } from 'vitest';
import {
  chooseProtocol,
  decodeClientFrame,
  exitStatus,
  parseStreamOptions,
  serverFrame,
} from './remote-command';
import { StatusError } from './status';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('chooseProtocol', () => {
  it('prefers v5, speaks v4, and refuses the older ones', () => {
    expect(chooseProtocol('v4.channel.k8s.io, v5.channel.k8s.io')).toBe('v5.channel.k8s.io');
    expect(chooseProtocol('v4.channel.k8s.io,v3.channel.k8s.io')).toBe('v4.channel.k8s.io');
    expect(chooseProtocol('channel.k8s.io')).toBeUndefined();
    expect(chooseProtocol(undefined)).toBeUndefined();
  });
});

describe('decodeClientFrame', () => {
  it('reads stdin, resize and (v5 only) close', () => {
    expect(decodeClientFrame(bytes(0, 104, 105), 'v5.channel.k8s.io')).toEqual({
      kind: 'stdin',
      data: bytes(104, 105),
    });
    const resize = new TextEncoder().encode('\u0004{"Width":120,"Height":40}');
    expect(decodeClientFrame(resize, 'v4.channel.k8s.io')).toEqual({
      kind: 'resize',
      width: 120,
      height: 40,
    });
    expect(decodeClientFrame(bytes(255, 0), 'v5.channel.k8s.io')).toEqual({
      kind: 'close',
      channel: 0,
    });
    expect(decodeClientFrame(bytes(255, 0), 'v4.channel.k8s.io')).toEqual({ kind: 'ignored' });
    expect(decodeClientFrame(bytes(4, 123), 'v5.channel.k8s.io')).toEqual({ kind: 'ignored' });
  });
});

describe('serverFrame', () => {
  it('prefixes the channel byte', () => {
    expect(serverFrame(1, 'hi')).toEqual(bytes(1, 104, 105));
  });
});

describe('exitStatus', () => {
  it('is Success for 0 and NonZeroExitCode with an ExitCode cause otherwise', () => {
    expect(exitStatus(0, ['true'])).toMatchObject({ status: 'Success' });
    expect(exitStatus(3, ['sh', '-c', 'exit 3'])).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
});

describe('parseStreamOptions', () => {
  it('reads PodExecOptions and refuses what the apiserver refuses', () => {
    const q = new URLSearchParams(
      'command=sh&command=-c&command=ls&stdin=true&tty=true&container=app',
    );
    expect(parseStreamOptions(q, 'exec')).toEqual({
      command: ['sh', '-c', 'ls'],
      container: 'app',
      stdin: true,
      stdout: true,
      stderr: true,
      tty: true,
    });
    expect(() => parseStreamOptions(new URLSearchParams('stdout=true'), 'exec')).toThrow(
      'you must specify at least 1 command',
    );
    expect(() =>
      parseStreamOptions(new URLSearchParams('stdout=false&stderr=false'), 'attach'),
    ).toThrow(StatusError);
  });
});
