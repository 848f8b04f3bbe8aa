/** ClientLimits: connections and uploads counted per client address, released when they end. */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../../../proxy/config/config-schema.js';
import { ClientLimits, isOverConnectionLimit } from '../../../proxy/requests/client-limits.js';
import { compileAddressList } from '../../../proxy/routing/access-rules.js';

/** What the limits read of a connection: its address and its `close`. */
function connection(remoteAddress: string): Duplex & { remoteAddress: string } {
  return Object.assign(new EventEmitter(), { remoteAddress }) as unknown as Duplex & { remoteAddress: string };
}

function upload(): http.IncomingMessage {
  return new EventEmitter() as unknown as http.IncomingMessage;
}

const limits = (connectionsPerClient: number, uploadsPerClient = 0, trusted: string[] = []) =>
  new ClientLimits(limitsSchema.parse({ connectionsPerClient, uploadsPerClient }), compileAddressList(trusted));

describe('ClientLimits connections', () => {
  it('admits up to the limit per address, marks the one beyond it, and admits again once one closes', () => {
    const subject = limits(2);
    const [a, b, c] = [connection('10.0.0.1'), connection('10.0.0.1'), connection('10.0.0.1')];
    expect([subject.admitConnection(a), subject.admitConnection(b)]).toEqual([true, true]);
    expect(subject.admitConnection(c)).toBe(false);
    expect([isOverConnectionLimit(a), isOverConnectionLimit(c)]).toEqual([false, true]);
    expect(subject.admitConnection(connection('10.0.0.2'))).toBe(true);
    a.emit('close');
    expect(subject.admitConnection(connection('10.0.0.1'))).toBe(true);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it is', () => {
    const subject = limits(1);
    expect(subject.admitConnection(connection('10.0.0.1'))).toBe(true);
    expect(subject.admitConnection(connection('::ffff:10.0.0.1'))).toBe(false);
  });

  it('never limits trusted proxies, nor anyone when the limit is 0', () => {
    const proxied = limits(1, 0, ['10.0.0.9']);
    for (let i = 0; i < 5; i++) expect(proxied.admitConnection(connection('10.0.0.9'))).toBe(true);
    const unlimited = limits(0);
    for (let i = 0; i < 5; i++) expect(unlimited.admitConnection(connection('10.0.0.1'))).toBe(true);
  });
});

describe('ClientLimits uploads', () => {
  it('admits up to the limit per client and frees a place once when a body ends and the request closes', () => {
    const subject = limits(0, 1);
    const first = upload();
    expect(subject.admitUpload('10.0.0.1', first)).toBe(true);
    expect(subject.admitUpload('10.0.0.1', upload())).toBe(false);
    expect(subject.admitUpload('10.0.0.2', upload())).toBe(true);
    first.emit('end');
    first.emit('close');
    const second = upload();
    expect(subject.admitUpload('10.0.0.1', second)).toBe(true);
    // The first request's two events freed one place, not two.
    expect(subject.admitUpload('10.0.0.1', upload())).toBe(false);
    second.emit('close');
    expect(subject.admitUpload('10.0.0.1', upload())).toBe(true);
  });
});
