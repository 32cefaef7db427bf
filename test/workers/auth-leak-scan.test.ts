import { describe, expect, it } from 'vitest';
import {
  type CapturedResponse,
  captureResponse,
  encodingsOf,
  findLeaks,
} from '../support/leak-scan';

const SECRET = 'jd-Secret/Key+42 with spaces&more';
const secrets = { JDCLOUD_SECRET_ACCESS_KEY: SECRET };
const clean: CapturedResponse = {
  where: 'GET /healthz',
  headers: [['content-type', 'application/json']],
  body: '{}',
};

describe('findLeaks', () => {
  it('finds nothing in clean responses and logs', () => {
    expect(
      findLeaks({
        secrets,
        responses: [clean],
        logLines: ['{"level":"info"}'],
      }),
    ).toEqual([]);
  });

  it('finds a secret in a body, a header and a log line, and names where', async () => {
    const res = new Response(`{"message":"${SECRET}"}`, { headers: { 'X-Debug': SECRET } });
    const leaks = findLeaks({
      secrets,
      responses: [await captureResponse('GET /leaky', res)],
      logLines: ['ok', `signing with ${SECRET}`],
    });
    expect(leaks.map((l) => `${l.where}: ${l.encoding}`)).toEqual([
      'GET /leaky body: plain',
      'GET /leaky header x-debug: plain',
      'log line 2: plain',
    ]);
    expect(JSON.stringify(leaks)).not.toContain(SECRET);
  });

  it('finds URL-encoded, form-encoded, JSON-escaped and hex forms', () => {
    const quoted = 'a"b\\c-secret';
    const hex = [...new TextEncoder().encode(SECRET)]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    const lines = [
      `GET /x?key=${encodeURIComponent(SECRET)}`,
      `body=${new URLSearchParams({ k: SECRET }).toString()}`,
      JSON.stringify({ v: quoted }),
      `digest ${hex.toUpperCase()}`,
    ];
    const leaks = findLeaks({ secrets: { ...secrets, QUOTED: quoted }, logLines: lines });
    expect(leaks.map((l) => `${l.secret} ${l.encoding} ${l.where}`)).toEqual([
      'JDCLOUD_SECRET_ACCESS_KEY url-encoded log line 1',
      'JDCLOUD_SECRET_ACCESS_KEY form-encoded log line 2',
      'JDCLOUD_SECRET_ACCESS_KEY hex log line 4',
      'QUOTED json-escaped log line 3',
    ]);
  });

  it('finds base64 and base64url inside longer blobs at every alignment', () => {
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const b64 = btoa(`${prefix}${SECRET}`);
      const url = b64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
      for (const line of [`Authorization: Basic ${b64}`, `token=${url}`]) {
        expect(findLeaks({ secrets, logLines: [line] }), `${prefix} ${line}`).not.toEqual([]);
      }
    }
  });

  it('refuses secrets too short to scan for reliably', () => {
    expect(() => findLeaks({ secrets: { SHORT: 'abc' }, logLines: [] })).toThrow(
      /SHORT is shorter/,
    );
  });
});

describe('encodingsOf', () => {
  it('lists each distinct form once', () => {
    const forms = encodingsOf('plainsecret123').map((f) => f.encoding);
    expect(forms).toContain('plain');
    expect(forms).not.toContain('url-encoded'); // identical to plain for this value
    expect(forms.filter((f) => f.startsWith('base64 '))).toHaveLength(3);
  });
});
