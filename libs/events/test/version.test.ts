import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIGIL_VERSION } from '../src/index.ts';

describe('VIGIL_VERSION', () => {
  it('is the version of package.json (OCSF metadata.product.version, OpenAPI info.version)', () => {
    expect(VIGIL_VERSION).toBe((JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });
});
