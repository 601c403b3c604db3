/**
 * A real SMTP server for tests (the `smtp-server` package) on 127.0.0.1 at a free port, that keeps
 * every message it accepts. It stands for the vendor's mail exchanger: what it stores is exactly
 * what the vendor would receive.
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpReceiver {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  received: ReceivedMail[];
  /** Refuse the next `count` messages with a temporary error, as a greylisting server does. */
  refuseNext(count: number): void;
  stop(): Promise<void>;
}

export async function startSmtpReceiver(options: { user?: string; password?: string } = {}): Promise<SmtpReceiver> {
  const user = options.user ?? 'drills@school.example';
  const password = options.password ?? 'smtp-test-password';
  const received: ReceivedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('smtp-server did not report its port'));
    });
  });
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    received,
    refuseNext(count) {
      refusals = count;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
