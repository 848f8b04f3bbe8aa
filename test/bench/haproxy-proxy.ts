/** HAProxy as a reference reverse proxy: one thread, keep-alive to the backend, nothing logged. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReferenceProcess, type ReferenceProxy } from './reference-process.js';

export function startHaproxy(workDir: string, listenPort: number, backendPort: number): Promise<ReferenceProxy> {
  mkdirSync(workDir, { recursive: true });
  const configPath = join(workDir, 'haproxy.cfg');
  writeFileSync(
    configPath,
    `global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend bench
  bind 127.0.0.1:${listenPort}
  default_backend backend
backend backend
  http-reuse always
  server backend 127.0.0.1:${backendPort}
`,
  );
  return startReferenceProcess('haproxy', 'haproxy', ['-db', '-f', configPath], listenPort);
}
