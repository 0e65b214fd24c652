// Bundles each service into one ES module, services/<name>/dist/main.js, with the shared libs inlined and every npm
// dependency left external (loaded from node_modules as usual). Run from JavaScript, a service never loads Node's
// TypeScript stripper (a WebAssembly module that stays resident: ~17 MB RSS per process) and starts faster.
// Usage: node tools/build/bundle-services.ts [service ...]
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'rolldown';
import { SERVICES, type ServiceName } from '../stack/services.ts';

const root = resolve(import.meta.dirname, '../..');

/** Workspace code is bundled; npm dependencies stay imports, resolved by Node at run time. */
const isExternal = (id: string) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@vigil/') && !id.startsWith('\0');

const packageName = (id: string) => id.split('/').slice(0, id.startsWith('@') ? 2 : 1).join('/');

/**
 * A lib may hold its own copy of a dependency (libs/http has ajv 8 while the root has eslint's ajv 6): such an import
 * must keep pointing at the lib's copy, so it becomes a path into it (the same layout exists in the image).
 */
function nestedDependencies(): Plugin {
  return {
    name: 'vigil-nested-dependencies',
    resolveId(source, importer) {
      if (!importer || !isExternal(source)) return null;
      if (source.startsWith('node:')) return { id: source, external: true };
      const name = packageName(source);
      for (let dir = dirname(importer); dir.startsWith(root + sep); dir = dirname(dir)) {
        if (existsSync(join(dir, 'node_modules', name))) {
          return dir === root ? { id: source, external: true } : { id: createRequire(importer).resolve(source), external: 'relative' };
        }
      }
      return { id: source, external: true };
    },
  };
}

/**
 * Writes `<outDir>/main.js` (+ source map and Lua scripts); `outDir` defaults to services/<name>/dist. The bundle is
 * built beside it, then its files are moved in one by one (installFiles).
 */
export async function bundleService(name: ServiceName, outDir = join(root, 'services', name, 'dist')): Promise<string> {
  const serviceDir = join(root, 'services', name);
  const staging = `${outDir}.next-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    input: join(serviceDir, 'src', 'main.ts'),
    platform: 'node',
    plugins: [nestedDependencies()],
    // An npm package imported only for names the service never uses is not loaded at all (otpauth, via the crypto lib).
    treeshake: { moduleSideEffects: 'no-external' },
    tsconfig: join(serviceDir, 'tsconfig.json'),
    logLevel: 'warn',
    output: { dir: staging, format: 'esm', entryFileNames: 'main.js', sourcemap: true, codeSplitting: false },
  });
  // Lua scripts are read at start from `new URL('./lua/<name>.lua', import.meta.url)`: beside the bundle too.
  const lua = join(serviceDir, 'src', 'adapters', 'lua');
  if (existsSync(lua)) cpSync(lua, join(staging, 'lua'), { recursive: true });
  installFiles(staging, outDir);
  rmSync(staging, { recursive: true, force: true });
  return join(outDir, 'main.js');
}

/**
 * Moves each built file over its old copy; a rename over a file is atomic, so a service starting meanwhile (a crash
 * test restarting one while `npm start` bundles) reads the old file or the new one, never none, and two bundlers
 * running at once each install whole files. main.js goes last, after the scripts it reads.
 */
function installFiles(staging: string, outDir: string): void {
  const files = readdirSync(staging, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(staging, join(entry.parentPath, entry.name)))
    .sort((a, b) => Number(a === 'main.js') - Number(b === 'main.js'));
  for (const file of files) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    renameSync(join(staging, file), join(outDir, file));
  }
}

/** Bundles the named services (all by default), one after the other; returns the bundles' paths. */
export async function bundleServices(names: readonly ServiceName[] = SERVICES.map((service) => service.name)): Promise<string[]> {
  const bundles: string[] = [];
  for (const name of names) bundles.push(await bundleService(name));
  return bundles;
}

if (import.meta.main) {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SERVICES.some((service) => service.name === name));
  if (unknown.length > 0) throw new Error(`unknown service: ${unknown.join(', ')}`);
  const bundles = await bundleServices(wanted.length > 0 ? (wanted as ServiceName[]) : undefined);
  for (const bundle of bundles) process.stdout.write(`${bundle}\n`);
}
