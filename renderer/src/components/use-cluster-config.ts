/**
 * A cluster's stored configuration, for the fields the live snapshot does not carry (Host header,
 * compression, a server's certificate fingerprint). `undefined` while loading or when there is no
 * cluster to load; `error` when it could not be read.
 */
import { useEffect, useState } from 'react';
import type { ClusterConfig } from '../../../proxy/control/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';

export function useClusterConfig(clusterId: string | undefined): { cluster: ClusterConfig | undefined; error: string | null } {
  const { client } = useDashboard();
  const [cluster, setCluster] = useState<ClusterConfig | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (clusterId === undefined) return undefined;
    let current = true;
    client.getConfig().then(
      (config) => {
        if (!current) return;
        const found = config.clusters.find((c) => c.id === clusterId);
        if (found) setCluster(found);
        else setError(`There is no cluster "${clusterId}" any more.`);
      },
      (failure: unknown) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [client, clusterId]);

  return { cluster, error };
}
