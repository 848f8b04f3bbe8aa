/** The rules on what may import what between the repository's folders, checked on every source file. */
import { describe, expect, it } from 'vitest';
import { findCycles, isElectron, isNodeBuiltin, reachableFrom, readImportGraph, type ImportEdge } from '../support/import-graph.js';

/**
 * Cycles tolerated, each named by its files in alphabetical order. Empty, and meant to stay so: a
 * new cycle is broken by an interface at the boundary (as control/gateway-port.ts does), not listed.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

/** The folders every client request passes through: they must not depend on the admin side. */
const DATA_PATH_FOLDERS = ['requests', 'routing', 'sessions', 'balancing', 'forwarding', 'health', 'runtime', 'listeners'].map((folder) => `proxy/${folder}/`);

const graph = readImportGraph();
const files = [...graph.keys()];
const inFolder = (folder: string) => (file: string) => file.startsWith(folder);

/** `file imports specifier` for each edge of the files in `scope` that `forbidden` picks out. */
function violations(scope: (file: string) => boolean, forbidden: (edge: ImportEdge) => boolean): string[] {
  return files.filter(scope).flatMap((file) => graph.get(file)!.filter(forbidden).map((edge) => `${file} imports ${edge.specifier}`));
}

describe('import rules', () => {
  it('reads the whole repository, resolving every relative import to a file', () => {
    expect(files.filter(inFolder('proxy/')).length).toBeGreaterThan(50);
    expect(files.filter(inFolder('renderer/')).length).toBeGreaterThan(20);
    expect(files).toContain('test/architecture/import-rules.test.ts');
    const unresolved = files.flatMap((file) => graph.get(file)!.filter((edge) => edge.specifier.startsWith('.') && !edge.target).map((edge) => `${file} imports ${edge.specifier}`));
    expect(unresolved).toEqual([]);
  });

  it('keeps electron out of proxy/ and renderer/', () => {
    expect(violations((file) => file.startsWith('proxy/') || file.startsWith('renderer/'), (edge) => isElectron(edge.specifier))).toEqual([]);
  });

  it('keeps proxy/ independent of electron/ and renderer/', () => {
    expect(violations(inFolder('proxy/'), (edge) => /^(electron|renderer)\//.test(edge.target ?? ''))).toEqual([]);
  });

  it('lets the web console load nothing that needs Node: no node built-in is reachable from renderer/ at run time', () => {
    const runtime = (edge: ImportEdge): boolean => !edge.typeOnly;
    // vite.config.ts is the build's own configuration, run by Node, not part of the page.
    const page = files.filter((file) => file.startsWith('renderer/') && file !== 'renderer/vite.config.ts');
    const reached = reachableFrom(graph, page, runtime);
    const found = [...reached].flatMap(([file, chain]) =>
      (graph.get(file) ?? []).filter((edge) => runtime(edge) && isNodeBuiltin(edge.specifier)).map((edge) => `${chain.join(' → ')} imports ${edge.specifier}`),
    );
    expect(found).toEqual([]);
  });

  it('keeps the data-path folders from importing the admin API or the control service', () => {
    const dataPath = (file: string): boolean => DATA_PATH_FOLDERS.some((folder) => file.startsWith(folder));
    const adminSide = (edge: ImportEdge): boolean => edge.target !== null && (edge.target.startsWith('proxy/admin/') || edge.target === 'proxy/control/control-service.ts');
    expect(violations(dataPath, adminSide)).toEqual([]);
  });

  it('keeps the configuration at the bottom: config/ imports no other part of proxy/ but the error shape', () => {
    const outsideConfig = (edge: ImportEdge): boolean =>
      edge.target !== null && edge.target.startsWith('proxy/') && !edge.target.startsWith('proxy/config/') && edge.target !== 'proxy/control/control-error.ts';
    expect(violations(inFolder('proxy/config/'), outsideConfig)).toEqual([]);
  });

  it('has no import cycle, type-only imports included, beyond the known ones', () => {
    const cycles = findCycles(graph);
    const known = (cycle: string[]): boolean => KNOWN_CYCLES.some((allowed) => [...new Set(cycle)].sort().join() === [...allowed].join());
    expect(cycles.filter((cycle) => !known(cycle)).map((cycle) => cycle.join(' → '))).toEqual([]);
    // A known cycle that is gone must leave the list, so that it cannot come back unnoticed.
    const stale = KNOWN_CYCLES.filter((allowed) => !cycles.some((cycle) => [...new Set(cycle)].sort().join() === [...allowed].join()));
    expect(stale.map((allowed) => `no longer a cycle, remove it from KNOWN_CYCLES: ${allowed.join(', ')}`)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const edge = (target: string): ImportEdge => ({ specifier: target, target, typeOnly: false });
  it('names each cycle as a closed path and ignores chains without one', () => {
    const sample = new Map([
      ['a.ts', [edge('b.ts')]],
      ['b.ts', [edge('c.ts')]],
      ['c.ts', [edge('a.ts'), edge('d.ts')]],
      ['d.ts', []],
      ['e.ts', [edge('e.ts')]],
    ]);
    expect(findCycles(sample)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts'], ['e.ts', 'e.ts']]);
    expect(findCycles(new Map([['a.ts', [edge('b.ts')]], ['b.ts', [edge('d.ts')]], ['d.ts', []]]))).toEqual([]);
  });
});
