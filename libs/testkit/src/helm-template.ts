import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { javaSourceFolder, mavenClasspath } from './maven-cache.ts';

const run = promisify(execFile);

/**
 * Lints (strict) and renders a Helm chart with Helm's Go library from Maven Central (helm-java): the same code as
 * `helm lint --strict && helm template`. Throws with Helm's messages when lint fails.
 */
export async function helmTemplate(chartDir: string, options: { release?: string; valuesFile?: string } = {}): Promise<string> {
  const classpath = await mavenClasspath('helm');
  const args = ['-cp', `${classpath}/*`, join(javaSourceFolder, 'HelmTemplate.java'), chartDir, options.release ?? 'vigil'];
  if (options.valuesFile) args.push(options.valuesFile);
  try {
    const { stdout } = await run('java', args, { maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const detail = error as { stderr?: string; message: string };
    throw new Error(`helm could not render ${chartDir}: ${detail.stderr || detail.message}`);
  }
}
