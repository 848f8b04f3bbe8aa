/**
 * No copied logic outside the tests: jscpd (configured in .jscpd.json, also `npm run duplicates`)
 * finds no run of 6 or more lines that stands twice in proxy/, electron/, renderer/, build/ or demo/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/import-graph.js';

interface Clone {
  firstFile: { name: string; start: number; end: number };
  secondFile: { name: string; start: number; end: number };
}

async function findClones(): Promise<{ files: number; clones: string[] }> {
  const output = await mkdtemp(join(tmpdir(), 'switchboard-jscpd-'));
  try {
    const bin = join(REPO_ROOT, 'node_modules', 'jscpd', 'bin', 'jscpd');
    await promisify(execFile)(process.execPath, [bin, '--reporters', 'json', '--output', output, '--silent'], { cwd: REPO_ROOT });
    const report = JSON.parse(await readFile(join(output, 'jscpd-report.json'), 'utf8')) as {
      statistics: { total: { sources: number } };
      duplicates: Clone[];
    };
    const where = (side: Clone['firstFile']): string => `${side.name}:${side.start}-${side.end}`;
    return { files: report.statistics.total.sources, clones: report.duplicates.map((clone) => `${where(clone.firstFile)} ~ ${where(clone.secondFile)}`) };
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}

describe('copies', () => {
  it('finds no copied code in the source folders', async () => {
    const { files, clones } = await findClones();
    expect(files).toBeGreaterThan(150);
    expect(clones).toEqual([]);
  }, 120_000);
});
