import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCT_VERSION } from '../src/domain/ocsf-finding.ts';

// Here rather than next to ocsf-finding.ts: it reads a file, and tests under domain/ may not (eslint, STYLE.md habit 2).
describe('OCSF metadata.product.version', () => {
  it('names the product version of package.json', () => {
    expect(PRODUCT_VERSION).toBe((JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });
});
