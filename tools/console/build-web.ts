import { join } from 'node:path';
import { build } from 'vite';

/** Bundles the console's page (TypeScript, @noble/ed25519, the device SDK) into `outDir`. */
export async function buildWeb(outDir: string): Promise<void> {
  await build({
    root: join(import.meta.dirname, 'web'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false },
  });
}
