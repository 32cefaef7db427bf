import { describe, expect, it } from 'vitest';
import { decodeJdFrame } from './exec-stream';

describe('decodeJdFrame (jdcloud-cli framing)', () => {
  it('reads stdout and stderr frames', () => {
    expect(decodeJdFrame('{"streamType":"stdout","output":"hi\\n"}')).toEqual({
      kind: 'output',
      stream: 'stdout',
      text: 'hi\n',
    });
    expect(decodeJdFrame(new TextEncoder().encode('{"streamType":"stderr","output":"x"}'))).toEqual(
      {
        kind: 'output',
        stream: 'stderr',
        text: 'x',
      },
    );
  });

  it('reads an error frame', () => {
    expect(decodeJdFrame('{"type":"error","message":"container stopped"}')).toEqual({
      kind: 'error',
      message: 'container stopped',
    });
  });

  it('takes anything that is not JSON as raw stdout, and ignores other JSON', () => {
    expect(decodeJdFrame('plain text')).toEqual({
      kind: 'output',
      stream: 'stdout',
      text: 'plain text',
    });
    expect(decodeJdFrame('42')).toEqual({ kind: 'output', stream: 'stdout', text: '42' });
    expect(decodeJdFrame('{"heartbeat":1}')).toEqual({ kind: 'ignored' });
  });
});
