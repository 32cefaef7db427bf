#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional binaries (biome's CLI,
// workerd) when npm could not record them: the registry mirror this project is developed
// against lacks some of their builds, so `npm install` leaves them out of the lockfile and
// `npm ci` then refuses the lockfile ("Missing: @biomejs/cli-darwin-arm64@ from lock file").
// Each added entry names the version the parent pins and the platform it is for; on that
// platform npm fetches it from the registry, elsewhere `npm ci` skips it.
// Runs as the root package's `postinstall`; `--check` (in `npm test`) fails if entries are missing.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = {
  android: 'android',
  darwin: 'darwin',
  linux: 'linux',
  win32: 'win32',
  windows: 'win32',
};
function platformOf(name) {
  const os = Object.keys(OS).find((k) => name.includes(`-${k}`));
  const cpu = /arm64/.test(name) ? 'arm64' : /x64|-64\b|-64$/.test(name) ? 'x64' : undefined;
  if (!os || !cpu) return undefined;
  return { os: [OS[os]], cpu: [cpu], ...(name.includes('-musl') ? { libc: ['musl'] } : {}) };
}

/** The package path that holds `path` (`a/node_modules/@s/b` → `a`; top level → ``). */
const parentOf = (path) => path.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '');

/** Where npm would find `dep` from the package at `from` (its node_modules, then each parent's). */
function resolve(from, dep) {
  for (let dir = from; ; dir = parentOf(dir)) {
    const path = dir ? `${dir}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[path]) return path;
    if (!dir) return undefined;
  }
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolve(path, dep)) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`] = {
      version,
      ...platform,
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
    };
    added++;
  }
}
if (process.argv.includes('--check')) {
  if (added > 0) {
    console.error(
      `package-lock.json lacks ${added} platform entries: run node scripts/complete-lockfile.mjs`,
    );
    process.exit(1);
  }
} else if (added > 0) {
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lockfile: added ${added} platform entries`);
}
