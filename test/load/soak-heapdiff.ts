/**
 * Compares two V8 heap snapshots (e.g. the ones `SOAK_SNAPSHOTS=dir npm run test:soak` takes at
 * a quarter of the run and at its end): live objects grouped by kind and constructor, the groups
 * that grew most first. A leak shows as a group whose count keeps rising with the requests.
 *
 *   node test/load/soak-heapdiff.ts dir/quarter.heapsnapshot dir/end.heapsnapshot [rows]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** count and self size (bytes) of the live objects, by "kind constructor". */
export function summarize(path: string): Map<string, { count: number; size: number }> {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = heap.snapshot.meta.node_types[0];
  const groups = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt] as number] ?? '?';
    // Strings and code are named by their content: group them by kind only.
    const named = type === 'object' || type === 'closure' || type === 'native';
    // Drop the " @123" node ids some names carry, so that groups match across snapshots.
    const name = named ? heap.strings[heap.nodes[i + nameAt] as number]?.replace(/ @\d+$/, '') : '';
    const key = `${type} ${name}`.trim();
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += heap.nodes[i + sizeAt] as number;
    groups.set(key, group);
  }
  return groups;
}

if (import.meta.main) {
  const [before, after, rows = '25'] = process.argv.slice(2);
  if (!before || !after) {
    console.error('usage: soak-heapdiff.ts before.heapsnapshot after.heapsnapshot [rows]');
    process.exit(2);
  }
  const a = summarize(before);
  const b = summarize(after);
  const total = (m: typeof a) => [...m.values()].reduce((n, g) => n + g.size, 0);
  const diff = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
    const x = a.get(key) ?? { count: 0, size: 0 };
    const y = b.get(key) ?? { count: 0, size: 0 };
    return { group: key, count: y.count - x.count, bytes: y.size - x.size, nowCount: y.count };
  });
  diff.sort((p, q) => q.bytes - p.bytes);
  console.log(`self size: ${total(a)} → ${total(b)} bytes (${total(b) - total(a)})`);
  console.table(diff.slice(0, Number(rows)));
}
