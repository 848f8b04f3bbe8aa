import { describe, expect, it } from 'vitest';
import { ClientCounts } from '../../../proxy/sessions/client-counts.js';
import { HashIndex } from '../../../proxy/sessions/hash-index.js';

describe('HashIndex', () => {
  it('finds what is left after removals among colliding hashes, growing as it fills', () => {
    const keys: string[] = [];
    const index = new HashIndex<string>((item, key) => keys[item] === key, 4);
    const model = new Map<string, number>();
    let seed = 3;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Few distinct hashes, filed at the table's last cells, so that probe runs are long and wrap around its end.
    const hashOf = (key: string) => -1 - ([...key].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 13);
    for (let step = 0; step < 5000; step++) {
      const key = `key-${random(300)}`;
      const hash = hashOf(key);
      if (model.has(key) && random(2)) {
        index.remove(hash, model.get(key)!);
        model.delete(key);
      } else if (!model.has(key)) {
        keys.push(key);
        index.add(hash, keys.length - 1);
        model.set(key, keys.length - 1);
      }
      const probe = `key-${random(300)}`;
      expect(index.find(hashOf(probe), probe)).toBe(model.get(probe) ?? -1);
    }
    expect(index.size).toBe(model.size);
    for (const [key, item] of model) expect(index.find(hashOf(key), key)).toBe(item);
  });
});

describe('ClientCounts', () => {
  it('counts each address as given, keeping dotted IPv4 addresses as numbers that read back the same', () => {
    const clients = new ClientCounts();
    const addresses = ['10.0.0.1', '255.255.255.255', '0.0.0.0', '010.0.0.1', '10.0.0', '10.0.0.256', '1.2.3.4.5', '::ffff:10.0.0.1', 'fe80::1', 'unknown', ''];
    const numbers = addresses.map((address) => clients.acquire(address));
    clients.acquire('10.0.0.1');
    expect(addresses.map((address) => clients.countOf(address))).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(numbers.map((client) => clients.addressOf(client))).toEqual(addresses);
    expect(['10.0.0.1', '255.255.255.255'].map((address, i) => typeof clients.keptAddress(numbers[i]!))).toEqual(['number', 'number']);
    expect(typeof clients.keptAddress(numbers[3]!)).toBe('string');
    clients.release(numbers[0]!);
    clients.release(numbers[0]!);
    clients.release(numbers[8]!);
    expect([clients.countOf('10.0.0.1'), clients.countOf('fe80::1'), clients.countOf('0.0.0.0')]).toEqual([0, 0, 1]);
    // A freed number is used again, for whichever address comes next.
    expect(clients.acquire('192.168.1.1')).toBe(numbers[8]);
    expect(clients.addressOf(numbers[8]!)).toBe('192.168.1.1');
  });
});
