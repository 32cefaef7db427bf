// The certificate `npm start -- --https` serves, made once per checkout (never committed):
// a self-signed P-256 certificate for 127.0.0.1 and localhost whose private key exists only
// here. `npm run kubeconfig` embeds it as the cluster's certificate-authority-data, so kubectl
// verifies the gateway instead of skipping verification (Miniflare's built-in certificate, the
// default of `wrangler dev --local-protocol https`, ships its private key inside the package).
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

const DAY = 86_400_000;

export const tlsFiles = (tlsDir) => ({
  cert: join(tlsDir, 'cert.pem'),
  key: join(tlsDir, 'key.pem'),
});

function usable(files) {
  if (!existsSync(files.cert) || !existsSync(files.key)) return false;
  try {
    const cert = new X509Certificate(readFileSync(files.cert));
    return cert.checkIP('127.0.0.1') && Date.parse(cert.validTo) - Date.now() > 7 * DAY;
  } catch {
    return false;
  }
}

/** Returns the certificate's files, generating them when missing or about to expire. */
export async function ensureCertificate(tlsDir) {
  const files = tlsFiles(tlsDir);
  if (usable(files)) return { ...files, created: false };
  const made = await generate([{ name: 'commonName', value: 'podgate local gateway' }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + 825 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  writeFileSync(files.key, made.private, { mode: 0o600 });
  chmodSync(files.key, 0o600);
  writeFileSync(files.cert, made.cert);
  return { ...files, created: true };
}
