/**
 * The dashboard's live view of the gateway: the latest snapshot, the session history and the
 * link status. Events may arrive faster than is worth drawing, so the view is redrawn at most
 * a few times a second, and the stream is closed while the page is hidden.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GatewayEvent, GatewaySnapshot } from '../../proxy/control/control-api.js';
import type { ControlClient, LinkStatus } from './control-client.js';
import { ControlError } from '../../proxy/control/control-error.js';
import { SessionHistory } from './session-history.js';
import { usePageVisible } from './use-page-visible.js';

const REDRAW_INTERVAL_MS = 250;
/** Events other than stats say something changed; one fresh snapshot covers a burst of them. */
const REFRESH_AFTER_CHANGE_MS = 150;

export interface GatewayView {
  snapshot: GatewaySnapshot | null;
  history: SessionHistory;
  status: LinkStatus;
  /** Asks for a fresh snapshot now, e.g. right after the dashboard changed something. */
  refresh(): void;
}

export function useGateway(client: ControlClient): GatewayView {
  const visible = usePageVisible();
  const history = useMemo(() => new SessionHistory(), [client]);
  const [snapshot, setSnapshot] = useState<GatewaySnapshot | null>(null);
  const [status, setStatus] = useState<LinkStatus>('connecting');
  const pending = useRef<GatewaySnapshot | null>(null);
  const redrawTimer = useRef<number | undefined>(undefined);
  const refreshTimer = useRef<number | undefined>(undefined);
  const newest = useRef(0);
  const drawnOnce = useRef(false);
  /** Servers whose history has been asked of the gateway, so each is asked once. */
  const seeded = useMemo(() => new Set<string>(), [client]);

  const seedHistories = useCallback(
    (next: GatewaySnapshot) => {
      for (const cluster of next.clusters) {
        for (const server of cluster.servers) {
          const key = `${cluster.id}/${server.id}`;
          if (seeded.has(key)) continue;
          seeded.add(key);
          client.getHistory(cluster.id, server.id).then(
            (serverHistory) => {
              history.seed(serverHistory);
              // One redraw for the many answers that come in together: a new snapshot object
              // redraws the charts with the seeded series.
              if (redrawTimer.current !== undefined) return;
              redrawTimer.current = window.setTimeout(() => {
                redrawTimer.current = undefined;
                setSnapshot(pending.current && { ...pending.current });
              }, REDRAW_INTERVAL_MS);
            },
            // Without it the chart simply starts empty and fills as the page runs.
            () => undefined,
          );
        }
      }
    },
    [client, history, seeded],
  );

  const accept = useCallback(
    (next: GatewaySnapshot) => {
      if (next.at < newest.current) return;
      newest.current = next.at;
      history.record(next);
      seedHistories(next);
      pending.current = next;
      if (!drawnOnce.current) {
        // The first picture is not held back: the admin is waiting for it.
        drawnOnce.current = true;
        setSnapshot(next);
        return;
      }
      if (redrawTimer.current !== undefined) return;
      redrawTimer.current = window.setTimeout(() => {
        redrawTimer.current = undefined;
        setSnapshot(pending.current);
      }, REDRAW_INTERVAL_MS);
    },
    [history, seedHistories],
  );

  const fetchState = useCallback(() => {
    client.getState().then(accept, (error: unknown) => {
      if (error instanceof ControlError && error.code === 'unauthorized') setStatus('unauthorized');
    });
  }, [client, accept]);

  const refresh = useCallback(() => {
    window.clearTimeout(refreshTimer.current);
    refreshTimer.current = window.setTimeout(fetchState, REFRESH_AFTER_CHANGE_MS);
  }, [fetchState]);

  useEffect(() => {
    if (!visible) return undefined;
    fetchState();
    const stop = client.subscribe({
      onEvent(event: GatewayEvent) {
        if (event.type === 'stats') accept(event.snapshot);
        else refresh();
      },
      onStatus(next) {
        setStatus(next);
        // Whatever happened while the link was down is fetched whole once it is back.
        if (next === 'online') refresh();
      },
    });
    return () => {
      stop();
      window.clearTimeout(refreshTimer.current);
    };
  }, [client, visible, accept, fetchState, refresh]);

  useEffect(() => () => window.clearTimeout(redrawTimer.current), []);

  return { snapshot, history, status, refresh };
}
