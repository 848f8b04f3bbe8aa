/** Where the gateway reports what happens to it: offline/online, drains, config changes, faults. */
export interface GatewayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Readable lines on the console, for headless mode and development. */
export const consoleLogger: GatewayLogger = {
  info: (message, fields) => console.log(formatLine('info', message, fields)),
  warn: (message, fields) => console.warn(formatLine('warn', message, fields)),
  error: (message, fields) => console.error(formatLine('error', message, fields)),
};

export const silentLogger: GatewayLogger = { info() {}, warn() {}, error() {} };

function formatLine(level: string, message: string, fields?: Record<string, unknown>): string {
  const details = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${new Date().toISOString()} ${level.padEnd(5)} ${message}${details}`;
}
