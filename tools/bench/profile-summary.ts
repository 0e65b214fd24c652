// Summarises V8 .cpuprofile files (from `--cpu-prof`): self time by function and by package, per profile.
// Usage: node tools/bench/profile-summary.ts <dir> [top]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const dir = process.argv[2] ?? '.tmp/prof';
const top = Number(process.argv[3] ?? 15);

function packageOf(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const match = /\/(services\/[^/]+|libs\/[^/]+|tools\/[^/]+)\//.exec(url);
  return match?.[1] ?? url;
}

for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    busy += us;
    const key = `${name} ${packageOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = name === '(garbage collector)' ? '(gc)' : packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const wall = (profile.endTime - profile.startTime) / 1e6;
  const main = profile.nodes.map((node) => /(services\/[^/]+|tools\/[^/]+)\/(src\/)?(main|run|start)\.ts$/.exec(node.callFrame.url)?.[1]).find(Boolean);
  console.log(`\n== ${main ?? '?'} (${file}): busy ${(busy / 1e6).toFixed(1)} s of ${wall.toFixed(1)} s`);
  const show = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([key, us]) => console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`));
  console.log(' by package:');
  show(byPackage);
  console.log(' by function:');
  show(byFunction);
}
