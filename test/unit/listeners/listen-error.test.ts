/** The words an admin reads when a port cannot be opened, and the error that carries the port. */
import { describe, expect, it } from 'vitest';
import { describeListenError, PortInUseError } from '../../../proxy/listeners/listen-error.js';

function errno(code: string, message = `listen ${code}: raw message`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('describeListenError', () => {
  it('says in words what each common failure means, keeping the code at the end to search for', () => {
    expect(describeListenError(errno('EADDRINUSE'), '0.0.0.0', 8080)).toBe('port 8080 on 0.0.0.0 is already in use by another program (EADDRINUSE)');
    expect(describeListenError(errno('EACCES'), '0.0.0.0', 80)).toBe('port 80 on 0.0.0.0 may not be opened by this account (EACCES)');
    expect(describeListenError(errno('EADDRNOTAVAIL'), '10.9.9.9', 443)).toBe('10.9.9.9 is not an address of this machine, so port 443 cannot be opened on it (EADDRNOTAVAIL)');
  });

  it("passes any other error's message on unchanged", () => {
    expect(describeListenError(errno('EINVAL', 'listen EINVAL: invalid argument'), '127.0.0.1', 1)).toBe('listen EINVAL: invalid argument');
  });
});

describe('PortInUseError', () => {
  it('carries the host and port for looking up the owner', () => {
    const error = new PortInUseError('the admin port 9090 on 127.0.0.1 is already in use', '127.0.0.1', 9090);
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.host, error.port, error.message]).toEqual(['PortInUseError', '127.0.0.1', 9090, 'the admin port 9090 on 127.0.0.1 is already in use']);
  });
});
