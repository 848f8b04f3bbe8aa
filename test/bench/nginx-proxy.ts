/** nginx as the reference reverse proxy: one worker, keep-alive to the backend, nothing logged. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForPort } from './wait-for-port.js';

export interface NginxProxy {
  close(): Promise<void>;
}

export async function startNginx(workDir: string, listenPort: number, backendPort: number): Promise<NginxProxy> {
  mkdirSync(join(workDir, 'logs'), { recursive: true });
  const configPath = join(workDir, 'nginx.conf');
  writeFileSync(
    configPath,
    `worker_processes 1;
daemon off;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(workDir, 'client_body')};
  proxy_temp_path ${join(workDir, 'proxy')};
  fastcgi_temp_path ${join(workDir, 'fastcgi')};
  uwsgi_temp_path ${join(workDir, 'uwsgi')};
  scgi_temp_path ${join(workDir, 'scgi')};
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn('nginx', ['-p', workDir, '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errorText = '';
  child.stderr?.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await waitForPort(listenPort, 10_000, () => (child.exitCode !== null ? `nginx exited: ${errorText}` : undefined));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
