/**
 * What every part of the dashboard may do: reach the gateway, make a change (which refreshes the
 * view and reports failures), and open one of the dialogs.
 */
import { createContext, useContext } from 'react';
import type { ClusterSnapshot, GatewaySnapshot, ServerSnapshot } from '../../proxy/control/control-api.js';
import type { ControlClient } from './control-client.js';

export type DialogRequest =
  | { kind: 'settings' }
  | { kind: 'add-cluster' }
  | { kind: 'edit-cluster'; cluster: ClusterSnapshot }
  | { kind: 'remove-cluster'; cluster: ClusterSnapshot }
  | { kind: 'add-server'; cluster: ClusterSnapshot }
  | { kind: 'edit-server'; cluster: ClusterSnapshot; server: ServerSnapshot }
  | { kind: 'remove-server'; cluster: ClusterSnapshot; server: ServerSnapshot }
  | { kind: 'replace-server'; cluster: ClusterSnapshot; server?: ServerSnapshot }
  | { kind: 'sessions'; cluster: ClusterSnapshot; server: ServerSnapshot };

/** A question asked before a change that would leave users without a server. */
export interface ConfirmRequest {
  title: string;
  /** What users will see if the admin goes ahead. */
  consequence: string;
  confirmLabel: string;
}

export interface DashboardContextValue {
  client: ControlClient;
  snapshot: GatewaySnapshot;
  /**
   * Sends a change to the gateway and refreshes the view. A failure is shown in the page banner
   * unless `quiet` (forms show their own), and the promise rejects either way.
   */
  change<T>(description: string, send: () => Promise<T>, options?: { quiet?: boolean }): Promise<T>;
  openDialog(request: DialogRequest): void;
  /** Resolves true if the admin confirmed, false if they cancelled. */
  confirm(request: ConfirmRequest): Promise<boolean>;
}

export const DashboardContext = createContext<DashboardContextValue | null>(null);

export function useDashboard(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (!value) throw new Error('useDashboard is used outside the dashboard');
  return value;
}
