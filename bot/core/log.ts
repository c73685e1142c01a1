// One logger for the whole bot: one line per event, each level on its console method (info on
// stdout, warn and error on stderr: journald, Docker and Workers Logs tell them apart). Callers
// pass ids and counts, never secrets or the text of messages; config is logged only through
// its redacted summary.
export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/**
 * `text`: readable lines for a terminal (development). `json`: one JSON object a line, for
 * journald, Docker and log shippers (production: ZHIBU_LOG=json). `object`: the same record
 * handed to the console as an object, which Workers Logs indexes field by field.
 */
export type LogFormat = 'text' | 'json' | 'object';

type Level = 'info' | 'warn' | 'error';

/** Errors become their message: a stack or a cause could carry a request's content. */
const plain = (_key: string, v: unknown) => (v instanceof Error ? v.message : v);

const RESERVED = new Set(['level', 'time', 'msg']);

/** The event as one flat record: level, time and msg first (data never overrides them), then the data. */
function entry(level: Level, msg: string, data?: Record<string, unknown>): Record<string, unknown> {
  const rest = data ? (JSON.parse(JSON.stringify(data, plain)) as Record<string, unknown>) : {};
  const own = Object.entries(rest).filter(([k]) => !RESERVED.has(k));
  return { level, time: new Date().toISOString(), msg, ...Object.fromEntries(own) };
}

function text(level: Level, msg: string, data?: Record<string, unknown>): string {
  const extra = data ? ` ${JSON.stringify(data, plain)}` : '';
  return `${new Date().toISOString()} ${level.toUpperCase()} ${msg}${extra}`;
}

export function consoleLogger(format: LogFormat = 'text'): Logger {
  const write = (level: Level) => (msg: string, data?: Record<string, unknown>) => {
    if (format === 'text') console[level](text(level, msg, data));
    else if (format === 'json') console[level](JSON.stringify(entry(level, msg, data)));
    else console[level](entry(level, msg, data));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
