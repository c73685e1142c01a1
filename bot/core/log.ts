// One logger for the whole bot: a line per event on stderr, data as JSON.
// Callers never pass secrets; config is logged only through its redacted summary.
export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

function line(level: string, msg: string, data?: Record<string, unknown>): string {
  const extra = data ? ` ${JSON.stringify(data, (_k, v) => (v instanceof Error ? v.message : v))}` : '';
  return `${new Date().toISOString()} ${level} ${msg}${extra}`;
}

export const consoleLogger: Logger = {
  info: (msg, data) => console.error(line('INFO', msg, data)),
  warn: (msg, data) => console.error(line('WARN', msg, data)),
  error: (msg, data) => console.error(line('ERROR', msg, data)),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
