/**
 * The clusters and servers sessions are bound to, each server interned once as a number (its
 * place) that every session stores instead of two id strings, with its live sessions tallied there.
 */
import { HashIndex } from './hash-index.js';

export interface SessionPolicy {
  idleMs: number;
  /** Age at which a session ends however active it is; null for no limit. */
  maxLifetimeMs: number | null;
}

/** When a session created and last seen at these times expires under `policy`; 0 (long past) without a policy. */
export function expiryUnder(policy: SessionPolicy | undefined, createdAt: number, lastSeenAt: number): number {
  if (!policy) return 0;
  const idleEnd = lastSeenAt + policy.idleMs;
  return policy.maxLifetimeMs === null ? idleEnd : Math.min(idleEnd, createdAt + policy.maxLifetimeMs);
}

/** One cluster's sessions by key, and how long they live. */
export interface ClusterSessions {
  readonly id: string;
  policy: SessionPolicy | undefined;
  readonly byKey: HashIndex<string>;
  /** Place number of each server of the cluster that ever had a session. */
  readonly places: Map<string, number>;
}

/** A server of a cluster: its live sessions, and bounds on when the last of them expires. */
export interface ServerPlace {
  readonly cluster: ClusterSessions;
  readonly serverId: string;
  count: number;
  latestSeenAt: number;
  latestCreatedAt: number;
}

export class ServerPlaces {
  /** Indexed by place number; a removed server's place stays, empty, as no session refers to it. */
  readonly all: ServerPlace[] = [];
  readonly clusters = new Map<string, ClusterSessions>();

  constructor(private readonly keyMatches: (slot: number, key: string) => boolean) {}

  cluster(clusterId: string): ClusterSessions {
    let cluster = this.clusters.get(clusterId);
    if (!cluster) {
      cluster = { id: clusterId, policy: undefined, byKey: new HashIndex(this.keyMatches), places: new Map() };
      this.clusters.set(clusterId, cluster);
    }
    return cluster;
  }

  /** The place of a server, created on first use. */
  placeOf(clusterId: string, serverId: string): number {
    const cluster = this.cluster(clusterId);
    let place = cluster.places.get(serverId);
    if (place === undefined) {
      place = this.all.length;
      this.all.push({ cluster, serverId, count: 0, latestSeenAt: 0, latestCreatedAt: 0 });
      cluster.places.set(serverId, place);
    }
    return place;
  }

  find(clusterId: string, serverId: string): ServerPlace | undefined {
    const place = this.clusters.get(clusterId)?.places.get(serverId);
    return place === undefined ? undefined : this.all[place];
  }

  /** Forgets a server whose sessions were all removed. */
  forgetServer(clusterId: string, serverId: string): void {
    this.clusters.get(clusterId)?.places.delete(serverId);
  }

  /** Forgets a cluster whose sessions were all removed. */
  forgetCluster(clusterId: string): void {
    this.clusters.delete(clusterId);
  }
}
