/** nginx as the reference reverse proxy: one worker, keep-alive to the backend, nothing logged. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReferenceProcess, type ReferenceProxy } from './reference-process.js';

export function startNginx(workDir: string, listenPort: number, backendPort: number): Promise<ReferenceProxy> {
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
  return startReferenceProcess('nginx', 'nginx', ['-p', workDir, '-c', configPath], listenPort);
}
