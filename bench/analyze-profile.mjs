// Reads a .cpuprofile (node --cpu-prof) and prints the top functions by self time, plus the
// self time grouped by package/file, as JSON: node bench/analyze-profile.mjs <file> [top].
import { readFileSync } from 'node:fs';

export function analyzeProfile(path, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map();
  const fileSelf = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const url = callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const name = callFrame.functionName || '(anonymous)';
    const key = url ? `${name} ${url}:${callFrame.lineNumber + 1}` : name;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    const group = !url
      ? name.startsWith('(') ? name : '(native/builtin)'
      : url.startsWith('node:') ? url
      : url.includes('node_modules/') ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
      : url;
    fileSelf.set(group, (fileSelf.get(group) ?? 0) + us);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rank(fnSelf), groups: rank(fileSelf) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = analyzeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`total ${result.totalMs} ms sampled`);
  for (const f of result.functions) console.log(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  console.log('--- by file/package');
  for (const f of result.groups) console.log(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
}
