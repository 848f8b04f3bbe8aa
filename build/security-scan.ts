/**
 * Runs Electronegativity (Doyensec's Electron security linter) over a folder and returns its
 * findings. The tool reaches for the internet (translations, Electron's release list); this runs
 * it offline by handing it an HTTP client that refuses, and leaves out the one check that needs
 * the release list (which Electron versions fix which CVEs: Dependabot's job here).
 *
 * `npx tsx build/security-scan.ts <folder>` prints the findings and exits 1 on any HIGH or MEDIUM.
 */
import { createRequire, Module } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface SecurityFinding {
  check: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  confidence: string;
  file: string;
  line: number;
  description: string;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: SecurityFinding['severity'] };
  confidence: { name: string };
  description: string;
}

type Runner = (options: Record<string, unknown>) => Promise<{ issues: RawIssue[] }>;

export const ELECTRON_VERSION = '41.7.1';
const OFFLINE_EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const require = createRequire(import.meta.url);

export async function scanForElectronSecurityIssues(input: string): Promise<SecurityFinding[]> {
  const runnerPath = require.resolve('@doyensec/electronegativity');
  keepOffline(runnerPath);
  const run = require(runnerPath) as Runner;
  const quiet = silenceConsole();
  try {
    const result = await run({
      input,
      customScan: [],
      excludeFromScan: OFFLINE_EXCLUDED_CHECKS,
      electronVersionOverride: ELECTRON_VERSION,
      isRelative: true,
      parserPlugins: [],
    });
    return result.issues.map((issue) => ({
      check: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      description: issue.description,
    }));
  } finally {
    quiet.restore();
  }
}

export function isBlocking(finding: SecurityFinding): boolean {
  return finding.severity === 'HIGH' || finding.severity === 'MEDIUM';
}

/** Puts a refusing stand-in for `got` where Electronegativity will look for it. */
function keepOffline(runnerPath: string): void {
  const gotPath = createRequire(runnerPath).resolve('got');
  const refuse = (): Promise<never> => Promise.reject(new Error('offline: network access is disabled for the security scan'));
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = Object.assign(refuse, { __esModule: true, default: refuse });
  require.cache[gotPath] = stub;
}

/** The tool logs progress and "no connectivity" warnings meant for its own CLI. */
function silenceConsole(): { restore(): void } {
  const saved = { log: console.log, warn: console.warn };
  console.log = () => {};
  console.warn = () => {};
  return { restore: () => Object.assign(console, saved) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: npx tsx build/security-scan.ts <folder>');
    process.exit(2);
  }
  const findings = await scanForElectronSecurityIssues(input);
  for (const finding of findings) {
    console.log(`${finding.severity.padEnd(13)} ${finding.check} ${finding.file}:${finding.line} ${finding.description}`);
  }
  process.exit(findings.some(isBlocking) ? 1 : 0);
}
