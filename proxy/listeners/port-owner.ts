/**
 * Which process holds a listening TCP port, where the operating system tells without special
 * rights: on Linux from /proc (processes of the same user, or all when run as root), on Windows
 * from `netstat -ano` and `tasklist`. Elsewhere, or when it cannot be found, the answer is null:
 * this only adds detail to a message and must never fail.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';

export interface PortOwner {
  pid: number;
  /** The program's name when it could be read. */
  name: string | null;
}

const LOOKUP_TIMEOUT_MS = 3000;

export async function findPortOwner(port: number): Promise<PortOwner | null> {
  try {
    if (process.platform === 'linux') return await linuxPortOwner(port);
    if (process.platform === 'win32') return await windowsPortOwner(port);
  } catch {
    // Only ever a detail of a message.
  }
  return null;
}

/** `sl local_address rem_address st … inode`: a LISTEN (0A) socket on the port gives its inode, an fd link gives its process. */
async function linuxPortOwner(port: number): Promise<PortOwner | null> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = fields[1]?.split(':')[1];
      if (fields[3] === '0A' && localPort !== undefined && parseInt(localPort, 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (!links.has(target)) continue;
      const name = (await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')).trim();
      return { pid: Number(entry), name: name || null };
    }
  }
  return null;
}

/** A listening socket is the one whose foreign address is `0.0.0.0:0` or `[::]:0` (the state column is translated). */
async function windowsPortOwner(port: number): Promise<PortOwner | null> {
  const netstat = await run('netstat', ['-ano', '-p', 'TCP']).then(async (v4) => v4 + (await run('netstat', ['-ano', '-p', 'TCPv6'])));
  for (const line of netstat.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || !/^TCP/i.test(fields[0]!)) continue;
    const local = fields[1]!;
    const foreign = fields[2]!;
    if (!local.endsWith(`:${port}`) || !/^(0\.0\.0\.0|\[::\]):0$/.test(foreign)) continue;
    const pid = Number(fields[fields.length - 1]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const csv = await run('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']).catch(() => '');
    const name = /^"([^"]+)"/.exec(csv.trim())?.[1] ?? null;
    return { pid, name };
  }
  return null;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: LOOKUP_TIMEOUT_MS, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** `; it is held by nginx (process 1234)` to end a sentence with, or nothing when unknown. */
export function describePortOwner(owner: PortOwner | null): string {
  if (!owner) return '';
  return owner.name ? `; it is held by ${owner.name} (process ${owner.pid})` : `; it is held by process ${owner.pid}`;
}
