/** Tests bind only ports the system hands out, so that a running demo or service never makes `npm test` fail. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, repositorySourceFiles } from '../support/import-graph.js';

/** A `listen(` or port probe given a literal port number other than 0. */
const FIXED_PORT = /\b(listen|listenOnLoopback|isPortFree)\(\s*(?:[\w.!]+,\s*)?([1-9]\d*)\b/g;

describe('test ports', () => {
  it('finds the files it checks', () => {
    expect(repositorySourceFiles('test')).toContain('test/architecture/test-ports.test.ts');
  });

  it('binds no fixed port anywhere under test/ (the benchmarks excepted, which are run by hand)', () => {
    const testFiles = repositorySourceFiles('test').filter((file) => !file.startsWith('test/bench/'));
    const found = testFiles.flatMap((file) =>
      [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(FIXED_PORT)].map((match) => `${file}: ${match[0]}`),
    );
    expect(found).toEqual([]);
  });
});
