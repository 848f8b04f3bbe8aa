/**
 * Names and places of the Windows service install, shared by the desktop app (which attaches to
 * the service), the build step that writes the service definition, and the installer script
 * (build/installer.nsh repeats them; a test checks that they agree).
 */
import { join } from 'node:path';

/** The Windows service's key name (`sc.exe query SwitchboardGateway`). */
export const SERVICE_ID = 'SwitchboardGateway';
/** What the Services console shows. */
export const SERVICE_DISPLAY_NAME = 'Switchboard Gateway';
/** Folder under %ProgramData% holding the service's config, sessions and logs. */
export const SERVICE_DATA_FOLDER = 'Switchboard';
export const SERVICE_CONFIG_FILE = 'switchboard.json';
/**
 * Written by the installer when it registers the service and deleted when it removes it: the
 * desktop app attaches while this exists. Readable by every user, unlike the config.
 */
export const SERVICE_MARKER_FILE = 'service-installed.txt';
/** Overrides where the desktop app looks for the service's data folder (tests, unusual installs). */
export const SERVICE_DIR_ENV = 'SWITCHBOARD_SERVICE_DIR';

/** The service's data folder, or null where there is no Windows service to look for. */
export function serviceDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const override = env[SERVICE_DIR_ENV];
  if (override) return override;
  if (platform !== 'win32') return null;
  return join(env.ProgramData ?? 'C:\\ProgramData', SERVICE_DATA_FOLDER);
}
