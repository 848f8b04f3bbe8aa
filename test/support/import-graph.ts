/** The repository's import graph, read from the TypeScript sources, for tests of the rules between folders. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface ImportEdge {
  /** As written in the source, e.g. `../config/slug.js` or `node:fs`. */
  specifier: string;
  /** The imported repository file (relative to the repository root, `/` separators), when it is one. */
  target: string | null;
  /** `import type` / `export type`: erased from the JavaScript, so it loads nothing at run time. */
  typeOnly: boolean;
}

/** Every repository source file (relative path) with what it imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

const SOURCE_FOLDERS = ['proxy', 'renderer', 'electron', 'test', 'demo', 'build'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'dist-node', 'dist-electron']);
const BUILTINS = new Set(builtinModules);

export function readImportGraph(root = REPO_ROOT): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFilesUnder(join(root, folder))) {
      graph.set(toRepoPath(root, file), importsOf(root, file));
    }
  }
  return graph;
}

/** Whether `specifier` names a Node built-in module (`node:fs`, `fs`, `fs/promises`). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!);
}

/** Whether `specifier` is the `electron` package or one of its subpaths. */
export function isElectron(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/');
}

/** The TypeScript source files under `folder` (a path relative to the repository root), as repository paths. */
export function repositorySourceFiles(folder: string, root = REPO_ROOT): string[] {
  return sourceFilesUnder(join(root, folder)).map((file) => toRepoPath(root, file));
}

function sourceFilesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFilesUnder(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function toRepoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    edges.push({ specifier, target: resolveSpecifier(root, file, specifier), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      // Only `import type` is erased: with verbatimModuleSyntax, `import { type A }` still loads the module.
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The repository file a relative specifier points at (`./x.js` is the source `./x.ts` or `./x.tsx`). */
function resolveSpecifier(root: string, file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const bare = resolve(dirname(file), specifier.split('?')[0]!);
  const withoutJs = bare.replace(/\.(js|jsx|mjs)$/, '');
  const candidates = [bare, `${withoutJs}.ts`, `${withoutJs}.tsx`, join(bare, 'index.ts'), join(bare, 'index.tsx')];
  for (const candidate of candidates) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return toRepoPath(root, candidate);
  }
  return existsSync(bare) ? toRepoPath(root, bare) : null;
}

/** Files reachable from `starts` along the edges `follow` accepts, each with the chain that reaches it. */
export function reachableFrom(graph: ImportGraph, starts: string[], follow: (edge: ImportEdge) => boolean): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const queue = starts.map((start) => [start]);
  for (const chain of queue) chains.set(chain[0]!, chain);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    for (const edge of graph.get(chain.at(-1)!) ?? []) {
      if (!edge.target || !follow(edge) || chains.has(edge.target)) continue;
      const longer = [...chain, edge.target];
      chains.set(edge.target, longer);
      queue.push(longer);
    }
  }
  return chains;
}

/**
 * The import cycles: one per strongly connected group of files (Tarjan's algorithm), each given as
 * a closed path through the group, e.g. `a.ts → b.ts → a.ts`, starting at its alphabetically first file.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const successors = (file: string): string[] => [...new Set((graph.get(file) ?? []).flatMap((edge) => (edge.target && graph.has(edge.target) ? [edge.target] : [])))];
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;

  const connect = (file: string): void => {
    index.set(file, counter);
    lowLink.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of successors(file)) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(next)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
      if (member === file) break;
    }
    if (group.length > 1 || successors(file).includes(file)) groups.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);

  return groups.map((group) => {
    const members = new Set(group);
    const start = group[0]!;
    // The shortest way back to the start inside the group is a readable example of the cycle.
    const back = reachableFrom(graph, [start], (edge) => members.has(edge.target!));
    const closing = group.filter((member) => successors(member).includes(start)).map((member) => back.get(member)!).sort((a, b) => a.length - b.length)[0]!;
    return [...closing, start];
  });
}
