import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway, type ClusterInputForTest } from '../support/gateway-harness.js';
import { freePort } from '../../demo/free-port.js';
import { stopAfterEach } from '../support/fixtures.js';
import { makeCertificate } from '../support/test-certificates.js';
import { ntlmClientMessages, WindowsAuthBackend, type WindowsAuthReply } from '../support/windows-auth-backend.js';
import { RawConnection } from '../support/raw-http.js';
import { okResponse, ScriptedBackend } from '../support/scripted-backend.js';

const t = stopAfterEach();
const windowsBackends: WindowsAuthBackend[] = [];
afterEach(async () => {
  await Promise.all(windowsBackends.splice(0).map((backend) => backend.stop()));
});
const run = promisify(execFile);

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A browser-like client: one keep-alive connection, and the cookies the gateway gives it. */
class OneConnectionClient {
  private readonly agent: http.Agent;
  private cookie = '';

  constructor(
    private readonly base: string,
    localAddress?: string,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
  }

  get(path: string, authorization?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (authorization) headers.authorization = authorization;
      if (this.cookie) headers.cookie = this.cookie;
      const req = http.get(`${this.base}${path}`, { agent: this.agent, headers }, (res) => {
        const setCookie = res.headers['set-cookie']?.[0];
        if (setCookie) this.cookie = setCookie.split(';')[0]!;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
    });
  }

  async json(path: string, authorization?: string): Promise<WindowsAuthReply> {
    const answer = await this.get(path, authorization);
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body) as WindowsAuthReply;
  }

  close(): void {
    this.agent.destroy();
  }
}

async function signInWithNtlm(client: OneConnectionClient, user: string): Promise<WindowsAuthReply> {
  const challenged = await client.get('/', ntlmClientMessages.negotiate());
  expect(challenged.status).toBe(401);
  expect(String(challenged.headers['www-authenticate'])).toMatch(/^NTLM \S+/);
  return client.json('/', ntlmClientMessages.authenticate(user));
}

async function signInWithNegotiate(client: OneConnectionClient, user: string): Promise<WindowsAuthReply> {
  const challenged = await client.get('/', `Negotiate ${Buffer.from(`hello:${user}`).toString('base64')}`);
  expect(challenged.status).toBe(401);
  const token = Buffer.from(String(challenged.headers['www-authenticate']).split(' ')[1]!, 'base64').toString();
  const nonce = token.split(':')[1]!;
  return client.json('/', `Negotiate ${Buffer.from(`answer:${nonce}:${user}`).toString('base64')}`);
}

async function startWindowsAuthGateway(
  count: number,
  cluster: Partial<ClusterInputForTest> = {},
  extra: Parameters<typeof startGateway>[1] = {},
): Promise<WindowsAuthBackend[]> {
  const backends = await Promise.all(Array.from({ length: count }, () => new WindowsAuthBackend().start()));
  windowsBackends.push(...backends);
  t.harness = await startGateway([
    {
      id: 'intranet',
      name: 'Intranet',
      servers: backends.map((backend, i) => ({ id: `iis-${i + 1}`, name: `IIS ${i + 1}`, url: backend.url })),
      ...cluster,
    },
  ], extra);
  return backends;
}

/** Anonymous users on the shared pool while others authenticate: they stir the pool's connections. */
async function anonymousLoad(base: string, requests: number): Promise<number[]> {
  const statuses: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  await Promise.all(
    Array.from({ length: requests }, () =>
      new Promise<void>((resolve, reject) => {
        http
          .get(`${base}/anonymous`, { agent }, (res) => {
            statuses.push(res.statusCode ?? 0);
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      }),
    ),
  );
  agent.destroy();
  return statuses;
}

async function serverSnapshot(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((server) => server.id === id)!;
}

function connectOverHttp2(port: number, certPath: string): http2.ClientHttp2Session {
  return http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(certPath), servername: 'intranet.test' });
}

function getOverHttp2(session: http2.ClientHttp2Session, path: string, authorization?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ':authority': 'intranet.test', ...(authorization ? { authorization } : {}) });
    let body = '';
    let status = 0;
    let headers: http.IncomingHttpHeaders = {};
    stream.on('response', (responseHeaders) => {
      status = Number(responseHeaders[':status']);
      headers = responseHeaders as http.IncomingHttpHeaders;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => resolve({ status, body, headers }));
    stream.on('error', reject);
  });
}

async function signInOverHttp2(session: http2.ClientHttp2Session, user: string): Promise<WindowsAuthReply> {
  expect((await getOverHttp2(session, '/', ntlmClientMessages.negotiate())).status).toBe(401);
  const answer = await getOverHttp2(session, '/', ntlmClientMessages.authenticate(user));
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as WindowsAuthReply;
}

/** A gateway with one Windows-authenticating server behind an HTTPS listener that speaks HTTP/2. */
async function startHttp2WindowsAuthGateway(cluster: Partial<ClusterInputForTest> = {}): Promise<{ port: number; certPath: string; backend: WindowsAuthBackend }> {
  const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-h2-auth-')), { commonName: 'intranet.test' });
  const port = await freePort();
  const [backend] = await startWindowsAuthGateway(1, cluster, {
    listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }],
  });
  return { port, certPath: cert.certPath, backend: backend! };
}

describe('Windows Integrated Authentication', () => {
  it('keeps two NTLM users on connections of their own over many interleaved requests', async () => {
    const backends = await startWindowsAuthGateway(2);
    const alice = new OneConnectionClient(t.harness!.url);
    const bob = new OneConnectionClient(t.harness!.url);
    try {
      const [aliceSignIn, bobSignIn] = await Promise.all([signInWithNtlm(alice, 'alice'), signInWithNtlm(bob, 'bob'), anonymousLoad(t.harness!.url, 40)]);
      expect(aliceSignIn.user).toBe('alice');
      expect(bobSignIn.user).toBe('bob');

      const rounds = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => alice.json(`/page/${i}`)),
        ...Array.from({ length: 40 }, (_, i) => bob.json(`/page/${i}`)),
        anonymousLoad(t.harness!.url, 80),
      ]);
      const anonymous = rounds.pop() as number[];
      const answers = rounds as WindowsAuthReply[];
      for (const answer of answers.slice(0, 40)) expect(answer).toEqual({ user: 'alice', connection: aliceSignIn.connection });
      for (const answer of answers.slice(40)) expect(answer).toEqual({ user: 'bob', connection: bobSignIn.connection });
      // Nobody else ever rode on an authenticated connection.
      expect(new Set(anonymous)).toEqual(new Set([401]));
      expect(backends.reduce((sum, backend) => sum + backend.answersOnWrongConnection, 0)).toBe(0);

      const servers = (await t.harness!.control.getState()).clusters[0]!.servers;
      expect(servers.reduce((sum, server) => sum + server.pinnedConnections, 0)).toBe(2);
    } finally {
      alice.close();
      bob.close();
    }
    await eventually(async () => {
      const servers = (await t.harness!.control.getState()).clusters[0]!.servers;
      expect(servers.map((server) => server.pinnedConnections)).toEqual([0, 0]);
    });
  });

  it('signs in a real NTLM client (curl --ntlm) for two users at once, each on its own connection', async () => {
    const [backend] = await startWindowsAuthGateway(1);
    const urls = Array.from({ length: 15 }, (_, i) => `${t.harness!.url}/doc/${i}`);
    const curl = (user: string) => run('curl', ['-s', '--ntlm', '-u', `${user}:Secret-1`, ...urls], { timeout: 20_000 });
    const [alice, bob] = await Promise.all([curl('CORP\\alice'), curl('CORP\\bob'), anonymousLoad(t.harness!.url, 60)]);
    const answers = (output: { stdout: string }): WindowsAuthReply[] => output.stdout.split('}').filter(Boolean).map((part: string) => JSON.parse(`${part}}`) as WindowsAuthReply);
    const aliceAnswers = answers(alice);
    const bobAnswers = answers(bob);
    expect(aliceAnswers).toHaveLength(15);
    expect(bobAnswers).toHaveLength(15);
    expect(new Set(aliceAnswers.map((a) => a.user))).toEqual(new Set(['CORP\\alice']));
    expect(new Set(bobAnswers.map((a) => a.user))).toEqual(new Set(['CORP\\bob']));
    expect(new Set(aliceAnswers.map((a) => a.connection)).size).toBe(1);
    expect(new Set(bobAnswers.map((a) => a.connection)).size).toBe(1);
    expect(aliceAnswers[0]!.connection).not.toBe(bobAnswers[0]!.connection);
    expect(backend!.answersOnWrongConnection).toBe(0);
  });

  it('signs in a client whose handshake and requests are HEADs (curl -I --ntlm) and keeps its connection', async () => {
    const [backend] = await startWindowsAuthGateway(1);
    const urls = Array.from({ length: 3 }, (_, i) => `${t.harness!.url}/doc/${i}`);
    const { stdout } = await run('curl', ['-s', '-I', '--ntlm', '-u', 'CORP\\alice:Secret-1', '-o', '/dev/null', '-w', '%{http_code}\n', ...urls], { timeout: 20_000 });
    // Each URL: the 401 challenge, then the answer to the signed-in HEAD.
    expect(stdout.trim().split('\n').filter((line) => /^\d{3}$/.test(line))).toEqual(['200', '200', '200']);
    expect(backend!.answersOnWrongConnection).toBe(0);
    // The signed-in connection was kept for the following HEADs rather than closed after each.
    expect(backend!.connectionCount).toBe(1);
  });

  it('carries a two-step Negotiate handshake on the connection that was challenged', async () => {
    const [backend] = await startWindowsAuthGateway(1);
    const clients = ['carol', 'dave', 'erin'].map((user) => ({ user, client: new OneConnectionClient(t.harness!.url) }));
    try {
      const signIns = await Promise.all([...clients.map(({ client, user }) => signInWithNegotiate(client, user)), anonymousLoad(t.harness!.url, 40)]);
      signIns.pop();
      const pages = await Promise.all(clients.flatMap(({ client }) => Array.from({ length: 20 }, (_, i) => client.json(`/p/${i}`))));
      clients.forEach(({ user }, index) => {
        const own = pages.slice(index * 20, index * 20 + 20);
        expect(new Set(own.map((page) => page.user))).toEqual(new Set([user]));
        expect(new Set(own.map((page) => page.connection))).toEqual(new Set([(signIns[index] as WindowsAuthReply).connection]));
      });
      expect(backend!.answersOnWrongConnection).toBe(0);
    } finally {
      for (const { client } of clients) client.close();
    }
  });

  it('pins from a 401 that offers Windows authentication, before the client answers it', async () => {
    await startWindowsAuthGateway(1);
    const client = new OneConnectionClient(t.harness!.url);
    try {
      expect((await client.get('/')).status).toBe(401);
      expect((await serverSnapshot('iis-1')).pinnedConnections).toBe(1);
      expect((await signInWithNtlm(client, 'frank')).user).toBe('frank');
      expect((await serverSnapshot('iis-1')).pinnedConnections).toBe(1);
    } finally {
      client.close();
    }
  });

  it('bounds pinned connections per server with a clear 503, and frees a place when a client leaves', async () => {
    await startWindowsAuthGateway(1, { maxPinnedConnectionsPerServer: 1 });
    const first = new OneConnectionClient(t.harness!.url);
    const second = new OneConnectionClient(t.harness!.url);
    try {
      expect((await signInWithNtlm(first, 'gina')).user).toBe('gina');
      const refused = await second.get('/', ntlmClientMessages.negotiate());
      expect(refused.status).toBe(503);
      expect(refused.body).toContain('Windows-authenticated connections');
      first.close();
      await eventually(async () => expect((await serverSnapshot('iis-1')).pinnedConnections).toBe(0));
      expect((await signInWithNtlm(second, 'hank')).user).toBe('hank');
    } finally {
      first.close();
      second.close();
    }
  });

  it('bounds the pinned connections one client address may hold, leaving room for everyone else', async () => {
    await startWindowsAuthGateway(1, {}, { limits: { pinnedConnectionsPerClient: 2 } });
    const clients = Array.from({ length: 3 }, () => new OneConnectionClient(t.harness!.url));
    const elsewhere = new OneConnectionClient(t.harness!.url, '127.0.0.2');
    try {
      expect((await signInWithNtlm(clients[0]!, 'one')).user).toBe('one');
      expect((await signInWithNtlm(clients[1]!, 'two')).user).toBe('two');
      const refused = await clients[2]!.get('/', ntlmClientMessages.negotiate());
      expect(refused.status).toBe(503);
      expect(refused.body).toContain('Your address already holds 2 Windows-authenticated connections');
      expect((await signInWithNtlm(elsewhere, 'other')).user).toBe('other');
      clients[0]!.close();
      await eventually(async () => expect((await serverSnapshot('iis-1')).pinnedConnections).toBe(2));
      expect((await signInWithNtlm(clients[2]!, 'three')).user).toBe('three');
    } finally {
      for (const client of [...clients, elsewhere]) client.close();
    }
  });

  it('keeps a draining server draining while a pinned connection is open, and drained once it closes', async () => {
    await startWindowsAuthGateway(1, { sessionTimeoutSec: 1 });
    const client = new OneConnectionClient(t.harness!.url);
    try {
      expect((await signInWithNtlm(client, 'ivy')).user).toBe('ivy');
      await t.harness!.control.as('dashboard').updateServer('intranet', 'iis-1', { capacity: 0 });
      // The session expires after a second; the open, authenticated connection still holds the server.
      await eventually(async () => expect((await serverSnapshot('iis-1')).sessions).toBe(0), 3000);
      const holding = await serverSnapshot('iis-1');
      expect(holding).toMatchObject({ state: 'draining', pinnedConnections: 1, inflight: 0 });
    } finally {
      client.close();
    }
    await eventually(async () => expect((await serverSnapshot('iis-1')).state).toBe('drained'));
  });

  it('pins an HTTP/2 client connection as a whole: its streams take turns on one backend connection', async () => {
    const { port, certPath, backend } = await startHttp2WindowsAuthGateway();
    const connect = () => connectOverHttp2(port, certPath);
    const jane = connect();
    const kurt = connect();
    try {
      const [janeIn, kurtIn] = await Promise.all([signInOverHttp2(jane, 'jane'), signInOverHttp2(kurt, 'kurt')]);
      const pages = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => getOverHttp2(jane, `/p/${i}`)),
        ...Array.from({ length: 20 }, (_, i) => getOverHttp2(kurt, `/p/${i}`)),
      ]);
      const replies = pages.map((page) => JSON.parse(page.body) as WindowsAuthReply);
      for (const reply of replies.slice(0, 20)) expect(reply).toEqual({ user: 'jane', connection: janeIn.connection });
      for (const reply of replies.slice(20)) expect(reply).toEqual({ user: 'kurt', connection: kurtIn.connection });
      expect(backend.answersOnWrongConnection).toBe(0);
    } finally {
      jane.close();
      kurt.close();
    }
  });
  it('answers a request kept waiting behind another on a Windows-authenticated connection with a 503 that says so', async () => {
    const { port, certPath } = await startHttp2WindowsAuthGateway({ backendConnectionWaitSec: 1 });
    const session = connectOverHttp2(port, certPath);
    try {
      await signInOverHttp2(session, 'gina');
      // Both streams need the one backend connection that carries gina's sign-in.
      const slow = getOverHttp2(session, '/slow/2500');
      const waiting = await getOverHttp2(session, '/p/1');
      expect(waiting.status).toBe(503);
      expect(waiting.body).toContain('The connection that carries your Windows sign-in to server "IIS 1" stayed busy with an earlier request for 1 s');
      expect(waiting.body).not.toContain('256');
      expect((await slow).status).toBe(200);
      expect((await serverSnapshot('iis-1')).online).toBe(true);
    } finally {
      session.close();
    }
  });

  it('does not take a new connection that fails for the keep-alive race: the request behind an answer with Connection: close', async () => {
    const scripted = await new ScriptedBackend((request, socket) => {
      if (request.url === '/closing') socket.end(okResponse('closing', 'Connection: close\r\n'));
      // The new connection the next request goes out on closes without an answer.
      else socket.destroy();
    }).start();
    try {
      t.harness = await startGateway([{ id: 'intranet', name: 'Intranet', healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 }, servers: [{ id: 'iis-1', name: 'IIS 1', url: scripted.url }] }]);
      const connection = await RawConnection.open(t.harness.port);
      try {
        // Pipelined: the second request waits for the client's own backend connection, which the first answer closes.
        const head = `Host: intranet.test\r\nAuthorization: ${ntlmClientMessages.negotiate()}\r\n\r\n`;
        connection.write(`GET /closing HTTP/1.1\r\n${head}GET /next HTTP/1.1\r\n${head}`);
        expect((await connection.response()).body).toBe('closing');
        const next = await connection.response();
        expect(next.status).toBe(502);
        expect(next.body).not.toContain('just as this request was sent');
      } finally {
        connection.close();
      }
      expect(scripted.connections.map((requests) => requests.map((r) => r.url))).toEqual([['/closing'], ['/next']]);
      const server = await serverSnapshot('iis-1');
      expect(server.errors).toBe(1);
      expect(server.health.consecutiveFailures).toBe(1);
    } finally {
      await scripted.stop();
    }
  });

  it('tells a client whose Windows-authenticated connection the server closed to send again, with no health failure', async () => {
    await startWindowsAuthGateway(1);
    const client = new OneConnectionClient(t.harness!.url);
    try {
      await signInWithNtlm(client, 'hana');
      const hungUp = await client.get('/hang-up');
      expect(hungUp.status).toBe(502);
      expect(hungUp.body).toContain('The server closed the connection that carries your Windows sign-in just as this request was sent');
      expect(hungUp.body).not.toContain('too large');
      expect((await serverSnapshot('iis-1')).health.consecutiveFailures).toBe(0);
      expect((await signInWithNtlm(client, 'hana')).user).toBe('hana');
    } finally {
      client.close();
    }
  });
});
