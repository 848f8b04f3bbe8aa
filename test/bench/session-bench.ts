/**
 * `npm run bench -- sessions [--baseline DIR] [--rounds N]`: what a million live sessions cost, next
 * to the goals: heap per session, and the longest event-loop pause while they are filled, saved,
 * expired all at once and restored. Each measurement runs in a fresh process
 * (session-measurement.ts); with a baseline checkout, the two alternate, round after round, so
 * that the machine's drift hits both alike. The first row of each, a loop doing exactly 2 ms of
 * work per turn, shows how long a turn the machine itself stretches to: no longest pause measured
 * in the same run means anything below it.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement, Phase } from './session-measurement.js';

const MEASUREMENT_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'session-measurement.ts');
const DEFAULT_ROUNDS = 3;
const GOAL_HEAP_MB = 150;
const GOAL_PAUSE_MS = 5;

export async function runSessionBench(repoRoot: string, baselineRoot: string | undefined, rounds = DEFAULT_ROUNDS): Promise<void> {
  const checkouts: [string, string][] = [['switchboard', repoRoot], ...(baselineRoot ? [['baseline', baselineRoot] as [string, string]] : [])];
  const results = new Map<string, Measurement[]>(checkouts.map(([label]) => [label, []]));
  console.log(`1,000,000 sessions, ${rounds} round(s) per checkout, each in a fresh process; Node ${process.version}`);
  for (let round = 1; round <= rounds; round++) {
    for (const [label, root] of checkouts) {
      process.stdout.write(`  round ${round}: ${label}… `);
      const measurement = await measureIn(repoRoot, root);
      results.get(label)!.push(measurement);
      console.log(`heap ${measurement.fill.heapMb.toFixed(0)} MB, longest turns (own/wall): save ${measurement.save.maxOwnMs.toFixed(1)}/${measurement.save.maxPauseMs.toFixed(1)} ms, expiry ${measurement.expire.maxOwnMs.toFixed(1)}/${measurement.expire.maxPauseMs.toFixed(1)} ms`);
    }
  }
  console.log('');
  for (const [label] of checkouts) report(label, results.get(label)!);
}

function report(label: string, runs: Measurement[]): void {
  const range = (pick: (m: Measurement) => number, digits = 1): string => {
    const values = runs.map(pick).sort((a, b) => a - b);
    const [low, high] = [values[0]!.toFixed(digits), values[values.length - 1]!.toFixed(digits)];
    return low === high ? low : `${low}–${high}`;
  };
  const verdict = (pick: (m: Measurement) => number, goal: number): string => (runs.every((m) => pick(m) <= goal) ? 'met' : 'NOT met');
  const first = runs[0]!;
  /** A phase's longest event-loop turn: less the time spent waiting for a core (the goal applies), and wall-clock. */
  const pauseRows = (name: string, phase: (m: Measurement) => Phase, goal?: number): [string, string, string][] => [
    [`${name}: longest turn, p99 (own)`, `${range((m) => phase(m).maxOwnMs)} ms, ${range((m) => phase(m).p99OwnMs)} ms`, goal === undefined ? '' : `≤ ${goal} ms: ${verdict((m) => phase(m).maxOwnMs, goal)}`],
    [`${name}: longest turn, p99 (wall)`, `${range((m) => phase(m).maxPauseMs)} ms, ${range((m) => phase(m).p99PauseMs)} ms`, ''],
  ];
  console.log(`${label} (min–max of ${runs.length}):`);
  const rows: [string, string, string][] = [
    ...pauseRows('reference: 2 ms of work per turn', (m) => m.reference),
    ['fill 1,000,000: heap (JS heap + typed arrays)', `${range((m) => m.fill.heapMb, 0)} MB, ${range((m) => m.fill.bytesPerSession, 0)} B/session`, `≤ ${GOAL_HEAP_MB} MB: ${verdict((m) => m.fill.heapMb, GOAL_HEAP_MB)}`],
    ['fill: rss', `${range((m) => m.fill.rssMb, 0)} MB`, ''],
    ...pauseRows('fill (1,000 per turn)', (m) => m.fill),
    ...pauseRows('save', (m) => m.save, GOAL_PAUSE_MS),
    ['save: file, time', `${first.save.fileMb.toFixed(0)} MB, ${range((m) => m.save.elapsedMs / 1000)} s`, ''],
    ...pauseRows('expire all at once', (m) => m.expire, GOAL_PAUSE_MS),
    ['expire: time, left, heap kept', `${range((m) => m.expire.elapsedMs / 1000)} s, ${first.expire.left} left, ${range((m) => m.expire.heapLeftMb, 0)} MB`, ''],
    ...pauseRows('restore (before listening)', (m) => m.restore),
    ['restore: time', `${range((m) => m.restore.elapsedMs / 1000)} s, ${first.restore.restored.toLocaleString('en')} restored`, ''],
    ['restore: heap', `${range((m) => m.restore.heapMb, 0)} MB, ${range((m) => m.restore.bytesPerSession, 0)} B/session`, ''],
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(`  ${row[0].padEnd(widths[0]!)}   ${row[1].padEnd(widths[1]!)}   ${row[2]}`.trimEnd());
  console.log('');
}

/** Runs session-measurement.ts of this checkout against the session code of `root`. */
function measureIn(repoRoot: string, root: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MEASUREMENT_SCRIPT, root], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Measurement);
      else reject(new Error(`the measurement of ${root} failed (exit code ${code}): ${output}`));
    });
  });
}
