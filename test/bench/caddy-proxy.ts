/** Caddy as a reference reverse proxy, held to one core (GOMAXPROCS=1) like the others' one worker. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReferenceProcess, type ReferenceProxy } from './reference-process.js';

export function startCaddy(workDir: string, listenPort: number, backendPort: number): Promise<ReferenceProxy> {
  mkdirSync(workDir, { recursive: true });
  const configPath = join(workDir, 'Caddyfile');
  writeFileSync(
    configPath,
    `{
  admin off
  auto_https off
}
http://127.0.0.1:${listenPort} {
  reverse_proxy 127.0.0.1:${backendPort}
}
`,
  );
  const env = { ...process.env, GOMAXPROCS: '1', HOME: workDir, XDG_DATA_HOME: workDir, XDG_CONFIG_HOME: workDir };
  return startReferenceProcess('caddy', 'caddy', ['run', '--config', configPath, '--adapter', 'caddyfile'], listenPort, env);
}
