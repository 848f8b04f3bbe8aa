/** Loads the main process (electron/main.ts, against the mocked `electron` module) as if launched with `argv`. */
export async function launchMain(argv: string[] = []): Promise<void> {
  const saved = process.argv;
  process.argv = [...saved.slice(0, 2), ...argv];
  try {
    await import('../../electron/main.js');
  } finally {
    process.argv = saved;
  }
}
