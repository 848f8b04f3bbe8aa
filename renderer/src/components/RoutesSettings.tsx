/**
 * Which requests go to which cluster: one line per route (host, path prefix, the path the
 * application has on its servers if another, cluster, and an optional per-route access rule). Saved all at once; the gateway's issues appear next to the
 * field they name (`routes[1].host` next to the second route's host).
 */
import { useState } from 'react';
import { Button, Field, Input, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import type { AccessRuleConfig, GatewayConfig, RouteConfig } from '../../../proxy/control/control-api.js';
import type { FieldIssue } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { capitalize } from '../format.js';
import { SettingsForm } from './SettingsForm.js';
import { useFormSubmit } from './use-form-submit.js';

type AccessMode = 'gateway' | AccessRuleConfig['mode'];

interface RouteDraft {
  key: number;
  host: string;
  path: string;
  /** Empty: the path is passed on unchanged. */
  backendPath: string;
  cluster: string;
  access: AccessMode;
  addresses: string;
  action: AccessRuleConfig['action'];
  /** Fields this editor does not show (a route's request timeout), saved back as they were. */
  kept: Omit<RouteConfig, 'host' | 'path' | 'backendPath' | 'cluster' | 'access'>;
}

const ROUTE_ISSUE = /^routes\[(\d+)\](?:\.(host|path|backendPath|cluster|access)(?:\..*)?)?$/;

const useStyles = makeStyles({
  route: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1.2fr) minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1.4fr) auto',
    gap: tokens.spacingHorizontalS,
    alignItems: 'start',
    paddingBlock: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    '@media (max-width: 760px)': { gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' },
    // Fluent's inputs ask for a minimum width of their own; here the grid decides.
    '& .fui-Input, & .fui-Select': { minWidth: 0, maxWidth: '100%' },
  },
  access: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  remove: { marginTop: '26px' },
});

let nextKey = 1;

function draftOf(route: RouteConfig): RouteDraft {
  const { host, path, backendPath, cluster, access, ...kept } = route;
  return {
    key: nextKey++,
    host,
    path,
    backendPath: backendPath ?? '',
    cluster,
    access: access?.mode ?? 'gateway',
    addresses: (access?.addresses ?? []).join(', '),
    action: access?.action ?? '403',
    kept,
  };
}

function routeOf(draft: RouteDraft): RouteConfig {
  const route: RouteConfig = { ...draft.kept, host: draft.host.trim(), path: draft.path.trim(), cluster: draft.cluster };
  const backendPath = draft.backendPath.trim();
  if (backendPath !== '') route.backendPath = backendPath;
  if (draft.access !== 'gateway') {
    const addresses = draft.addresses.split(/[\s,]+/).filter((a) => a !== '');
    route.access = { mode: draft.access, addresses, action: draft.action };
  }
  return route;
}

/** Issues by route line and field; anything else goes above the form. */
function placeRouteIssues(issues: FieldIssue[]) {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const match = ROUTE_ISSUE.exec(issue.path);
    if (match) {
      const field = `${match[1]}.${match[2] ?? 'host'}`;
      const detail = issue.path.includes('.access.') ? `${issue.path.split('.access.')[1]} ${issue.message}` : issue.message;
      byField[field] = byField[field] ? `${byField[field]}; ${detail}` : capitalize(detail);
    } else {
      general.push(issue.path ? `${issue.path} ${issue.message}` : capitalize(issue.message));
    }
  }
  return { byField, general };
}

interface RoutesSettingsProps {
  config: GatewayConfig;
  onSaved(config: GatewayConfig): void;
}

export function RoutesSettings({ config, onSaved }: RoutesSettingsProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const [routes, setRoutes] = useState<RouteDraft[]>(() => config.routes.map(draftOf));
  const { busy, issues, submit } = useFormSubmit([], placeRouteIssues);
  const clusters = config.clusters;

  const update = (key: number, patch: Partial<RouteDraft>) => setRoutes((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = () =>
    submit(async () => {
      const saved = await change('Change the routes', () => client.setRoutes(routes.map(routeOf)), { quiet: true });
      onSaved({ ...config, routes: saved });
    });

  return (
    <SettingsForm label="Routes" submitLabel="Save routes" busy={busy} problems={issues.general} onSubmit={() => void save()}>
      <Text>
        A request goes to the cluster of the route with its host (exact name, then *.domain, then *) and the longest matching path.
        Requests no route matches get 404. A backend path, if the application has another path on its servers, replaces the
        route's path before forwarding: path /wiki/ with backend path / sends /wiki/page as /page.
      </Text>
      {routes.length === 0 && <Text>No routes: every request gets 404.</Text>}
      {routes.map((route, index) => (
        <div key={route.key} className={styles.route} role="group" aria-label={`Route ${index + 1}`}>
          <Field label="Host" validationMessage={issues.byField[`${index}.host`]}>
            <Input value={route.host} onChange={(_e, d) => update(route.key, { host: d.value })} />
          </Field>
          <Field label="Path" validationMessage={issues.byField[`${index}.path`]}>
            <Input value={route.path} onChange={(_e, d) => update(route.key, { path: d.value })} />
          </Field>
          <Field label="Backend path" validationMessage={issues.byField[`${index}.backendPath`]}>
            <Input
              value={route.backendPath}
              placeholder="Same as Path"
              onChange={(_e, d) => update(route.key, { backendPath: d.value })}
            />
          </Field>
          <Field label="Cluster" validationMessage={issues.byField[`${index}.cluster`]}>
            <Select value={route.cluster} onChange={(_e, d) => update(route.key, { cluster: d.value })}>
              {!clusters.some((c) => c.id === route.cluster) && <option value={route.cluster}>{route.cluster || '(choose)'}</option>}
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.access}>
            <Field label="Who may use it" validationMessage={issues.byField[`${index}.access`]}>
              <Select value={route.access} onChange={(_e, d) => update(route.key, { access: d.value as AccessMode })}>
                <option value="gateway">As the gateway's rule says</option>
                <option value="allow">Only these addresses</option>
                <option value="deny">Everyone except these addresses</option>
              </Select>
            </Field>
            {route.access !== 'gateway' && (
              <Input
                aria-label={`Addresses for route ${index + 1}`}
                placeholder="10.0.0.0/8, 192.168.1.20"
                value={route.addresses}
                onChange={(_e, d) => update(route.key, { addresses: d.value })}
              />
            )}
          </div>
          <Button
            className={styles.remove}
            appearance="subtle"
            icon={<DeleteRegular />}
            aria-label={`Remove route ${index + 1}`}
            onClick={() => setRoutes((list) => list.filter((r) => r.key !== route.key))}
          />
        </div>
      ))}
      <div>
        <Button
          icon={<AddRegular />}
          onClick={() =>
            setRoutes((list) => [...list, draftOf({ host: '*', path: '/', cluster: clusters[0]?.id ?? '' })])
          }
        >
          Add route
        </Button>
      </div>
    </SettingsForm>
  );
}
