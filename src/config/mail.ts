import { z } from 'zod';
import { secretSchema, type Secret } from '../core/secrets.ts';

/** SMTP server settings as written. */
export interface SmtpConfigInput {
  /** The SMTP server, e.g. `'smtp.example.com'`. */
  host: string;
  /**
   * @defaultValue 465 when `secure`, else 587
   */
  port?: number;
  /**
   * TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it.
   * @defaultValue `true` on port 465, else `false`
   */
  secure?: boolean;
  /** Login; leave out for a relay that needs none. */
  auth?: {
    user: string;
    /** The password, preferably `env('SMTP_PASSWORD')`: read only when an e-mail is sent. */
    pass: Secret;
  };
}

/** SMTP settings after validation. `auth.pass` is left unresolved (see {@link resolveSecret}). */
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: Secret } | null;
}

/** Mail settings after validation. */
export interface MailConfig {
  /** The From header, e.g. `'supportdrill <drills@school.example>'`. */
  from: string;
  /** Recipients; at least one. */
  to: string[];
  /** `null`: write each e-mail to `<dataDir>/outbox/` instead of sending it. */
  smtp: SmtpConfig | null;
}

/** Used when `mail` is absent or leaves them out: the outbox needs addresses, nothing is sent to them. */
export const DEFAULT_MAIL_FROM = 'supportdrill <supportdrill@localhost>';
export const DEFAULT_MAIL_TO = 'trial-team@localhost';

const ADDRESS_HELP = "expected an e-mail address like 'ops@school.example' or 'Ops <ops@school.example>'";
// Deliberately loose: the server has the last word; this only catches a name without an address.
const address = z.string({ error: ADDRESS_HELP }).trim().regex(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/, { error: ADDRESS_HELP });

const smtpSchema = z
  .strictObject({
    host: z.string({ error: "expected the SMTP server's host name, e.g. 'smtp.example.com'" }).min(1, { error: "expected the SMTP server's host name, e.g. 'smtp.example.com'" }),
    port: z.number({ error: 'expected a port number, e.g. 587 or 465' }).int().min(1).max(65_535, { error: 'expected a port number between 1 and 65535' }).optional(),
    secure: z.boolean({ error: 'expected true (TLS from the start, port 465) or false (STARTTLS)' }).optional(),
    auth: z
      .strictObject({
        user: z.string({ error: 'expected the SMTP user name' }).min(1, { error: 'expected the SMTP user name' }),
        pass: secretSchema,
      })
      .optional(),
  })
  .transform(
    (smtp): SmtpConfig => ({
      host: smtp.host,
      port: smtp.port ?? (smtp.secure ? 465 : 587),
      secure: smtp.secure ?? smtp.port === 465,
      auth: smtp.auth ?? null,
    }),
  );

export const mailSchema = z
  .strictObject({
    from: address.optional(),
    to: z.union([address, z.array(address).min(1, { error: 'name at least one recipient' })], { error: `${ADDRESS_HELP}, or a list of them` }).optional(),
    smtp: smtpSchema.optional(),
  })
  .superRefine((mail, ctx) => {
    // Real SMTP with placeholder addresses would only bounce; the outbox is fine with them.
    if (mail.smtp === undefined) return;
    if (mail.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: `mail.smtp is set, so name the recipients: ${ADDRESS_HELP}` });
    if (mail.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: `mail.smtp is set, so name the sender: ${ADDRESS_HELP}` });
  })
  .transform(
    (mail): MailConfig => ({
      from: mail.from ?? DEFAULT_MAIL_FROM,
      to: mail.to === undefined ? [DEFAULT_MAIL_TO] : typeof mail.to === 'string' ? [mail.to] : mail.to,
      smtp: mail.smtp ?? null,
    }),
  );
