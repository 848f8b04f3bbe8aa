/** outageWarnings: what a change broke for users, compared before and after. */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, GatewaySnapshot, ServerState } from '../../../proxy/control/control-api.js';
import { outageWarnings } from '../../../proxy/control/outage-warnings.js';

/** Only the fields the warnings read; the rest of a snapshot does not matter to them. */
function cluster(id: string, states: ServerState[], enabled = true): ClusterSnapshot {
  return { id, name: `Cluster ${id}`, enabled, servers: states.map((state, i) => ({ id: `s${i}`, state })) } as unknown as ClusterSnapshot;
}

function snapshot(clusters: ClusterSnapshot[], paused = false): GatewaySnapshot {
  return { paused, clusters } as unknown as GatewaySnapshot;
}

describe('outageWarnings', () => {
  it('says nothing when every cluster that served new users still does', () => {
    const before = snapshot([cluster('web', ['active', 'active'])]);
    expect(outageWarnings(before, snapshot([cluster('web', ['active', 'draining'])]))).toEqual([]);
  });

  it('warns when a cluster loses its last active server', () => {
    const before = snapshot([cluster('web', ['active', 'drained'])]);
    expect(outageWarnings(before, snapshot([cluster('web', ['draining', 'drained'])]))).toEqual([
      'cluster "web" (Cluster web) has no active server left: new users get 503 Service Unavailable',
    ]);
  });

  it('warns when a cluster is disabled', () => {
    const before = snapshot([cluster('web', ['active'])]);
    expect(outageWarnings(before, snapshot([cluster('web', ['active'], false)]))).toEqual([
      'cluster "web" (Cluster web) is disabled: every request routed to it gets 503 Service Unavailable',
    ]);
  });

  it('does not warn about a cluster that was already down, or one that is new', () => {
    const before = snapshot([cluster('old', ['offline'])]);
    const after = snapshot([cluster('old', ['disabled']), cluster('new', [])]);
    expect(outageWarnings(before, after)).toEqual([]);
  });

  it('warns when the gateway becomes paused, and only then', () => {
    const clusters = [cluster('web', ['active'])];
    expect(outageWarnings(snapshot(clusters), snapshot(clusters, true))).toEqual([
      'the gateway is paused: its listeners are closed and every request is refused until it is resumed',
    ]);
    expect(outageWarnings(snapshot(clusters, true), snapshot(clusters, true))).toEqual([]);
  });
});
