/**
 * The gateway's log files: the event log (copied to a second logger such as the console when one
 * is given) and the access log, both kept in the folder the configuration names.
 */
import { dirname, join } from 'node:path';
import type { GatewayConfig } from '../config/config-schema.js';
import { filesIn, tightenFileModes } from '../config/private-files.js';
import { AccessLog } from './access-log.js';
import { EventLog } from './event-log.js';
import { GATEWAY_LOG_FILE_NAME } from './gateway-log-files.js';
import type { GatewayLogger } from './gateway-logger.js';

export class GatewayLogs {
  readonly eventLog = new EventLog();
  readonly accessLog: AccessLog;
  /** Every line goes to the event log and, when given, to the second logger too. */
  readonly logger: GatewayLogger;
  private checkedDirectory: string | null = null;

  /** `configLocation`: the config file, next to which the logs folder is when the config names none. */
  constructor(
    private readonly configLocation: string,
    secondLogger?: GatewayLogger,
  ) {
    this.logger = teeLogger(this.eventLog, secondLogger);
    this.accessLog = new AccessLog({ logger: this.logger });
  }

  /** Applies the config's logs section; the files of a folder seen for the first time are made owner-only. */
  async configure(config: GatewayConfig): Promise<void> {
    const directory = config.logs.directory ?? join(dirname(this.configLocation), 'logs');
    await Promise.all([
      this.eventLog.configure({ ...config.logs.eventLog, directory }),
      this.accessLog.configure({ ...config.logs.accessLog, directory }),
    ]);
    if (directory !== this.checkedDirectory) {
      this.checkedDirectory = directory;
      this.tightenPermissions(filesIn(directory, GATEWAY_LOG_FILE_NAME));
    }
  }

  /** Files written by an older version or by hand may be readable by anyone: make them owner-only, and say so. */
  tightenPermissions(paths: string[]): void {
    const changed = tightenFileModes(paths);
    if (changed.length === 0) return;
    this.logger.warn(`Made ${changed.length} file${changed.length === 1 ? '' : 's'} readable by their owner only (they were readable by other users)`, {
      files: changed.join(', '),
    });
  }

  close(): Promise<void> {
    return Promise.all([this.accessLog.close(), this.eventLog.close()]).then(() => undefined);
  }
}

/** Writes each line to the first logger and, when given, to a second one. */
export function teeLogger(first: GatewayLogger, second: GatewayLogger | undefined): GatewayLogger {
  if (!second) return first;
  return {
    info: (message, fields) => (first.info(message, fields), second.info(message, fields)),
    warn: (message, fields) => (first.warn(message, fields), second.warn(message, fields)),
    error: (message, fields) => (first.error(message, fields), second.error(message, fields)),
  };
}
