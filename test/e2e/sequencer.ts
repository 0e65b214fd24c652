import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's own order (by past duration or size), except that the abuse file runs last among the end-to-end files:
 * its 10,000 rejected signatures are real work for the consumers (anomaly-detection judges each), and the files that
 * wait for alerts should not queue behind it.
 */
export default class EndToEndLastAbuse extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isAbuse = (file: TestSpecification) => file.moduleId.endsWith('test/e2e/abuse.e2e.test.ts');
    return [...sorted.filter((file) => !isAbuse(file)), ...sorted.filter(isAbuse)];
  }
}
