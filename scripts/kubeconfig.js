#!/usr/bin/env node
// `npm run kubeconfig [-- PATH]`: writes a kubeconfig for the local stack (default
// ~/.kube/podgate.yaml) and prints the `export KUBECONFIG=…` line, so that
//   eval "$(npm run -s kubeconfig)"
// points this shell's kubectl at it. The cluster is `npm start -- --https` on 127.0.0.1:<port>,
// verified against the certificate made for this checkout (certificate-authority-data, no
// insecure-skip-tls-verify); the user is the dev admin token (`--token` for another).
// Options: --port, --tls-dir (scripts/lib/local-stack.mjs), --token T, --force (overwrite a
// file that is not a podgate kubeconfig).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { DEV_TOKENS, parseStackArgs, Refusal, shown, UsageError } from './lib/local-stack.mjs';
import { ensureCertificate } from './lib/local-tls.mjs';

const USAGE =
  'usage: npm run kubeconfig [-- PATH] [--port 8787] [--tls-dir DIR] [--token T] [--force]';
const MARK = '# podgate local kubeconfig';

/**
 * What answers on the port: 'https' (verified with `ca`), 'http' (a gateway started without
 * --https: TLS fails with a protocol error), or 'down'. Speaks TLS first, so an https gateway
 * never logs a failed handshake because of this probe.
 */
function probe(port, ca) {
  return new Promise((done) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/healthz', ca, timeout: 2000 },
      (res) => {
        res.resume();
        done('https');
      },
    );
    req.on('error', (error) =>
      done(
        /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(error.code ?? '')
          ? 'other-certificate'
          : /EPROTO|wrong version number|packet length too long/i.test(
                `${error.code} ${error.message}`,
              )
            ? 'http'
            : 'down',
      ),
    );
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function main() {
  const { stack, values, positionals } = parseStackArgs(process.argv.slice(2), {
    token: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length > 1) throw new UsageError(`one path at most, not ${positionals.length}`);
  const path = resolve(positionals[0] ?? resolve(homedir(), '.kube/podgate.yaml'));
  if (existsSync(path) && !values.force && !readFileSync(path, 'utf8').startsWith(MARK)) {
    throw new Refusal(
      `${path} exists and is not a podgate kubeconfig: not overwriting it. Give another path, ` +
        'or --force',
    );
  }
  const tls = await ensureCertificate(stack.tlsDir);
  const server = `https://127.0.0.1:${stack.port}`;
  const token = values.token ?? DEV_TOKENS.admin;
  const user = token === DEV_TOKENS.admin ? 'dev-admin' : 'podgate-user';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'podgate-local',
        cluster: {
          server,
          'certificate-authority-data': readFileSync(tls.cert).toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [
      {
        name: 'podgate-local',
        context: { cluster: 'podgate-local', user, namespace: 'default' },
      },
    ],
    'current-context': 'podgate-local',
  };
  const header = [
    MARK,
    `# Written by \`npm run kubeconfig\` for \`npm start -- --https\` on ${server}.`,
    `# The CA is the certificate in ${tls.cert} (made for this checkout).`,
  ].join('\n');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // It holds a bearer token: readable by its owner only, like kubectl's own files.
  writeFileSync(path, `${header}\n${stringify(config)}`, { mode: 0o600 });
  chmodSync(path, 0o600);

  const log = (line) => process.stderr.write(`${line}\n`);
  log(`wrote ${shown(path)}: context podgate-local, ${server}, user ${user}, namespace default`);
  if (tls.created) log(`made a TLS certificate for 127.0.0.1 in ${shown(stack.tlsDir)}`);
  const serving = await probe(stack.port, readFileSync(tls.cert));
  if (serving === 'http') {
    log(
      `note: the gateway on port ${stack.port} serves plain http, and kubectl sends tokens only ` +
        'over TLS: restart it with npm start -- --https',
    );
  } else if (serving === 'other-certificate') {
    log(
      `note: the gateway on port ${stack.port} serves another certificate than ${shown(tls.cert)}: ` +
        'was it started with another --tls-dir?',
    );
  } else if (serving === 'down') {
    log(`note: nothing answers on ${server} yet: start it with npm start -- --https`);
  }
  log('point kubectl at it in this shell (or run: eval "$(npm run -s kubeconfig)"):');
  const quoted = /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
  process.stdout.write(`export KUBECONFIG=${quoted}\n`);
}

main().catch((error) => {
  if (error instanceof Refusal) console.error(error.message);
  else console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
