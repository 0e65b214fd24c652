import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAVEN_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../maven');

/** Where downloaded jars live: outside the repository, reused by every run and every clone on this machine. */
export function cacheRoot(): string {
  return join(process.env['VIGIL_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'vigil'));
}

/**
 * The folder of jars that `maven/<name>/pom.xml` resolves to, downloading them through `mvn` on first use. The folder
 * name carries a hash of the pom, so a version bump fetches a fresh set. Filling happens in a private folder that is
 * renamed into place, so two runs that start together never see half a classpath.
 */
export async function mavenClasspath(name: 'kafka' | 'mongo' | 'helm'): Promise<string> {
  const pom = join(MAVEN_FOLDER, name, 'pom.xml');
  const digest = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 12);
  const target = join(cacheRoot(), 'maven', `${name}-${digest}`);
  if (existsSync(target) && readdirSync(target).some((file) => file.endsWith('.jar'))) return target;

  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    await run('mvn', ['-q', '-B', '-f', pom,
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime', `-DoutputDirectory=${staging}`], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const detail = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mvn could not resolve ${name} jars: ${detail.message}\n${detail.stdout ?? ''}${detail.stderr ?? ''}`);
  }
  try {
    renameSync(staging, target);
  } catch {
    // Another run finished first; its folder is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

export const javaSourceFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../java');
