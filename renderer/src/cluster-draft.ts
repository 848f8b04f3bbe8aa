/**
 * A cluster as its edit form holds it (text fields for numbers) and the conversions to and from
 * the control API. A new cluster starts from the configuration schema's own defaults, so the
 * form shows what the gateway would use anyway.
 */
import type { ClusterConfig, ClusterInput, ClusterPatch, ClusterSnapshot } from '../../proxy/control/control-api.js';
import { CLUSTER_DEFAULTS } from './config-defaults.js';
import { numberOrText } from './components/number-field.js';

export interface ClusterDraft {
  name: string;
  /** Only for a new cluster: made from the name when empty. */
  id: string;
  enabled: boolean;
  sessionMethod: ClusterConfig['sessionMethod'];
  sessionTimeoutSec: string;
  balancing: ClusterConfig['balancing'];
  checkType: ClusterConfig['healthCheck']['type'];
  checkPath: string;
  checkIntervalSec: string;
  checkTimeoutMs: string;
  hostMode: ClusterConfig['hostHeader']['mode'];
  hostValue: string;
  compress: boolean;
  compressMinBytes: string;
}

export function newClusterDraft(): ClusterDraft {
  return { ...draftOfCluster({ ...CLUSTER_DEFAULTS, name: '' }), ...storedSettingsDraft(CLUSTER_DEFAULTS) };
}

/** An existing cluster's draft from the snapshot; its Host header and compression come later (`storedSettingsDraft`). */
export function draftOfCluster(cluster: Pick<ClusterSnapshot, 'name' | 'enabled' | 'sessionMethod' | 'sessionTimeoutSec' | 'balancing' | 'healthCheck'>): ClusterDraft {
  return {
    name: cluster.name,
    id: '',
    enabled: cluster.enabled,
    sessionMethod: cluster.sessionMethod,
    sessionTimeoutSec: String(cluster.sessionTimeoutSec),
    balancing: cluster.balancing,
    checkType: cluster.healthCheck.type,
    checkPath: cluster.healthCheck.path,
    checkIntervalSec: String(cluster.healthCheck.intervalSec),
    checkTimeoutMs: String(cluster.healthCheck.timeoutMs),
    ...storedSettingsDraft(CLUSTER_DEFAULTS),
  };
}

/** The fields of the draft that the snapshot does not carry, from the cluster's stored config. */
export function storedSettingsDraft(cluster: Pick<ClusterConfig, 'hostHeader' | 'compression'>): Pick<ClusterDraft, 'hostMode' | 'hostValue' | 'compress' | 'compressMinBytes'> {
  return {
    hostMode: cluster.hostHeader.mode,
    hostValue: cluster.hostHeader.value ?? '',
    compress: cluster.compression.enabled,
    compressMinBytes: String(cluster.compression.minBytes),
  };
}

/**
 * The settings to send. Numbers that are not numbers are sent as typed, so that the gateway's
 * validation says what is wrong next to the field. `withStoredSettings` is false while an
 * existing cluster's Host header and compression have not been loaded: they are then left alone.
 */
export function clusterPatchOfDraft(draft: ClusterDraft, withStoredSettings: boolean): ClusterPatch {
  return {
    name: draft.name,
    enabled: draft.enabled,
    sessionMethod: draft.sessionMethod,
    sessionTimeoutSec: numberOrText(draft.sessionTimeoutSec) as number,
    balancing: draft.balancing,
    healthCheck: {
      type: draft.checkType,
      path: draft.checkPath,
      intervalSec: numberOrText(draft.checkIntervalSec) as number,
      timeoutMs: numberOrText(draft.checkTimeoutMs) as number,
    },
    ...(withStoredSettings
      ? {
          hostHeader: draft.hostMode === 'fixed' ? { mode: 'fixed', value: draft.hostValue.trim() } : { mode: 'keep' },
          compression: { enabled: draft.compress, minBytes: numberOrText(draft.compressMinBytes) as number },
        }
      : {}),
  };
}

export function clusterInputOfDraft(draft: ClusterDraft): ClusterInput {
  return { ...clusterPatchOfDraft(draft, true), name: draft.name, ...(draft.id.trim() ? { id: draft.id.trim() } : {}) };
}
