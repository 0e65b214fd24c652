import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../stack/services.ts';
import { bundleService } from './bundle-services.ts';

const root = resolve(import.meta.dirname, '../..');
const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** The static import specifiers of an ES module bundle. */
function importsOf(code: string): string[] {
  return [...code.matchAll(/^(?:import|export)\s[^'"]*?["']([^"']+)["'];?$/gm)].map((match) => match[1] as string);
}

describe('service bundles', () => {
  it.each(SERVICES.map((service) => service.name))('%s: one module whose every import resolves where it is written', async (name) => {
    // Beside the real dist (same depth), so that node_modules resolve as they will at run time.
    const outDir = join(root, 'services', name, `.bundle-test-${process.pid}`);
    outDirs.push(outDir);
    const bundle = await bundleService(name, outDir);
    const code = readFileSync(bundle, 'utf8');
    const imports = importsOf(code);
    expect(imports.length).toBeGreaterThan(5);
    // No TypeScript left to strip (that is the point of the bundle), and every workspace lib inlined.
    expect(imports.filter((specifier) => specifier.endsWith('.ts') || specifier.startsWith('@vigil/'))).toEqual([]);
    const require = createRequire(bundle);
    for (const specifier of imports) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) expect(existsSync(join(dirname(bundle), specifier)), specifier).toBe(true);
      else expect(() => require.resolve(specifier), specifier).not.toThrow();
    }
    const lua = join(root, 'services', name, 'src', 'adapters', 'lua');
    if (existsSync(lua)) expect(readdirSync(join(outDir, 'lua')).sort()).toEqual(readdirSync(lua).sort());
  });
});
