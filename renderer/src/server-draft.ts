/**
 * A server as its edit form holds it (text for the capacity, the fingerprint as typed) and the
 * conversions to the control API. A new server starts from the configuration schema's defaults.
 */
import type { ServerInput, ServerPatch, ServerSnapshot } from '../../proxy/control/control-api.js';
import { SERVER_DEFAULTS } from './config-defaults.js';
import { numberOrText } from './components/number-field.js';

export interface ServerDraft {
  name: string;
  url: string;
  capacity: string;
  enabled: boolean;
  /** Only sent for an https:// URL. */
  fingerprint: string;
}

export function newServerDraft(): ServerDraft {
  return { name: '', url: 'http://', capacity: String(SERVER_DEFAULTS.capacity), enabled: SERVER_DEFAULTS.enabled, fingerprint: '' };
}

/** An existing server's draft; its fingerprint is not in the snapshot and comes with the stored config. */
export function draftOfServer(server: Pick<ServerSnapshot, 'name' | 'url' | 'capacity' | 'enabled'>): ServerDraft {
  return { name: server.name, url: server.url, capacity: String(server.capacity), enabled: server.enabled, fingerprint: '' };
}

export function isHttpsDraft(draft: ServerDraft): boolean {
  return draft.url.trim().toLowerCase().startsWith('https://');
}

/** The fingerprint to send: none for a plain http:// server. */
function wantedFingerprint(draft: ServerDraft): string {
  return isHttpsDraft(draft) ? draft.fingerprint.trim() : '';
}

/** A number that is not a number is sent as typed, so that the gateway's validation says what is wrong. */
export function serverInputOfDraft(draft: ServerDraft): ServerInput {
  const fingerprint = wantedFingerprint(draft);
  return {
    name: draft.name,
    url: draft.url,
    capacity: numberOrText(draft.capacity) as number,
    enabled: draft.enabled,
    ...(fingerprint !== '' ? { tlsFingerprint: fingerprint } : {}),
  };
}

/**
 * Only what changed. `storedFingerprint` is the server's fingerprint from its stored config, or
 * null while that has not been loaded: the fingerprint is then left alone.
 */
export function serverPatchOfDraft(draft: ServerDraft, server: Pick<ServerSnapshot, 'name' | 'url' | 'capacity' | 'enabled'>, storedFingerprint: string | null): ServerPatch {
  const patch: ServerPatch = {};
  if (draft.name !== server.name) patch.name = draft.name;
  if (draft.url !== server.url) patch.url = draft.url;
  if (draft.capacity !== String(server.capacity)) patch.capacity = numberOrText(draft.capacity) as number;
  if (draft.enabled !== server.enabled) patch.enabled = draft.enabled;
  const fingerprint = wantedFingerprint(draft);
  if (storedFingerprint !== null && fingerprint !== storedFingerprint) patch.tlsFingerprint = fingerprint === '' ? null : fingerprint;
  return patch;
}
