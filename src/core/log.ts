import { pino, type Logger } from 'pino';

/**
 * Logs go to stderr so that `--json` keeps stdout for exactly one JSON document. Pretty on a TTY,
 * JSON otherwise; secrets are redacted wherever they might appear in a logged object.
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? process.env.SUPPORTDRILL_LOG_LEVEL ?? 'info';
  const redact = {
    paths: [
      '*.token', '*.password', '*.pass', '*.secret', '*.appCertificate', '*.authorization',
      '*.*.token', '*.*.password', '*.*.pass', '*.*.secret', '*.*.appCertificate', '*.headers.authorization',
    ],
    censor: '[redacted]',
  };
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  if (pretty) {
    return pino({ level, redact }, pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true } }));
  }
  return pino({ level, redact }, pino.destination(2));
}

export type { Logger };
