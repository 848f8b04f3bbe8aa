/** The cluster form's draft: starts from the schema's defaults and converts to and from the control API. */
import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../proxy/config/config-schema.js';
import { clusterInputOfDraft, clusterPatchOfDraft, draftOfCluster, newClusterDraft, storedSettingsDraft } from '../../renderer/src/cluster-draft.js';

describe('cluster draft', () => {
  it('makes a new cluster, left as the form shows it, into the cluster the gateway makes from a name alone', () => {
    const draft = { ...newClusterDraft(), name: 'Wiki', id: 'wiki' };
    expect(clusterSchema.parse(clusterInputOfDraft(draft))).toEqual(clusterSchema.parse({ id: 'wiki', name: 'Wiki' }));
    expect(draft.sessionTimeoutSec).toBe('1800');
    expect(draft.checkTimeoutMs).toBe('2000');
  });

  it('sends an existing cluster back as it was given, its Host header and compression from the stored config', () => {
    const draft = {
      ...draftOfCluster({
        name: 'Intranet',
        enabled: true,
        sessionMethod: 'client-ip',
        sessionTimeoutSec: 600,
        balancing: 'round-robin',
        healthCheck: { type: 'http', path: '/health', intervalSec: 5, timeoutMs: 900, unhealthyAfter: 2, healthyAfter: 1 },
      }),
      ...storedSettingsDraft({
        hostHeader: { mode: 'fixed', value: 'app01.corp.local' },
        compression: { enabled: true, minBytes: 2048, types: [] },
      }),
    };
    expect(clusterPatchOfDraft(draft, true)).toEqual({
      name: 'Intranet',
      enabled: true,
      sessionMethod: 'client-ip',
      sessionTimeoutSec: 600,
      balancing: 'round-robin',
      healthCheck: { type: 'http', path: '/health', intervalSec: 5, timeoutMs: 900 },
      hostHeader: { mode: 'fixed', value: 'app01.corp.local' },
      compression: { enabled: true, minBytes: 2048 },
    });
  });

  it('sends numbers that are not numbers as typed, and leaves settings not yet loaded alone', () => {
    const patch = clusterPatchOfDraft({ ...newClusterDraft(), name: 'Wiki', sessionTimeoutSec: 'soon' }, false);
    expect(patch.sessionTimeoutSec).toBe('soon');
    expect(patch).not.toHaveProperty('hostHeader');
    expect(patch).not.toHaveProperty('compression');
  });
});
