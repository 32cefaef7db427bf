/** Where the figures came from. */
import { cpus, totalmem } from 'node:os';

export function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${process.arch}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}
