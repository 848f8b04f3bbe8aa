/** Finding ports nothing is listening on, by briefly binding them. */
import { createServer } from 'node:net';

/**
 * The ports handed out lately. Once a probe closes, the system may offer its port again at once, and
 * two callers asking one after the other (a listener and the admin API) would get the same one.
 */
const handedOut = new Set<number>();
const REMEMBERED = 1000;

/** A port the system considers free right now on `host`, and not one this process handed out lately. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await probeFreePort(host);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (handedOut.size > REMEMBERED) handedOut.delete(handedOut.values().next().value!);
    return port;
  }
}

function probeFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `preferred` if it is free on `host`, else the next free port above it. */
export async function firstFreePort(preferred: number, host = '127.0.0.1', skip: readonly number[] = []): Promise<number> {
  for (let port = preferred; port < Math.min(preferred + 200, 65536); port++) {
    if (!skip.includes(port) && (await isPortFree(port, host))) return port;
  }
  return freePort(host);
}

/** Whether `port` on `host` can be bound right now. */
function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
