import { createRequire } from 'node:module';
import { z } from 'zod';
import { formatMs } from '../../core/duration.ts';
import { UserError, prefixed } from '../../core/errors.ts';
import { resolveSecret, secretSchema } from '../../core/secrets.ts';
import { defineProvider, type ClassroomProvider, type ProviderContext } from './provider.ts';
import { startClassroomServer, type ClassroomServer } from './classroom-server.ts';

export const PROVIDER_NAME = 'agora';

/** What Agora support needs to find the class, and what a join needs. Never logged as a whole. */
export interface AgoraCredentials {
  appId: string;
  /** Tokens are built here with agora-token when set. */
  appCertificate?: string;
  /** Else tokens come from this URL (`?channel=…&uid=…&role=publisher|subscriber`, JSON `{ token }`). */
  tokenServer?: string;
}

export interface AgoraProviderOptions {
  credentials?: AgoraCredentials;
  /**
   * Bundles the page against another build of the SDK. Only tests set it, to run the classroom on
   * the SDK's test double; the product always uses agora-rtc-sdk-ng.
   */
  sdkModule?: string;
}

/** Agora client settings a drill may give under `classroom.agora`. */
export const agoraDrillOptions = z.strictObject({
  mode: z.enum(['rtc', 'live']).default('rtc'),
  codec: z.enum(['vp8', 'vp9', 'h264', 'av1']).default('vp8'),
});

/** What the agora provider reads of a drill. */
export interface AgoraDrill {
  classroom: { joinTimeout?: number; agora?: z.output<typeof agoraDrillOptions> };
}

/** The config's `agora` entry: credentials, secrets through `env()`. */
export const agoraSettings = z.strictObject({
  /** The project's App ID from Agora's console. */
  appId: secretSchema,
  /** Tokens are built here (agora-token, 1 h expiry) when set. */
  appCertificate: secretSchema.optional(),
  /** Else tokens come from this URL: `?channel=…&uid=…&role=publisher|subscriber` → `{ "token": "…" }`. */
  tokenServer: z.url({ error: 'expected the token server URL, e.g. https://tokens.example/rtc' }).optional(),
});

/** Agora's join hangs for minutes when its cloud cannot be reached; a run gives up sooner. */
export const AGORA_JOIN_TIMEOUT_MS = 20_000;

/**
 * Where the Web SDK's join begins: its access-point servers, asked over HTTPS for the gateway to
 * use (any one answering will do). Read from agora-rtc-sdk-ng 4.24.8's bundle, where they are
 * `WEBCS_DOMAIN` and `WEBCS_DOMAIN_BACKUP_LIST` (`https://<domain>/api/v2/transpond/webrtc`);
 * Agora's firewall page (docs.agora.io/en/introduction/firewall) lists `.agora.io`, `.sd-rtn.com`
 * and TCP 443 among what a Web SDK client must reach. A probe that reaches none of them cannot join.
 */
export const AGORA_GATEWAYS = [
  { host: 'webrtc2-ap-web-1.agora.io', port: 443 },
  { host: 'webrtc2-2.ap.sd-rtn.com', port: 443 },
  { host: 'webrtc2-ap-web-3.agora.io', port: 443 },
  { host: 'webrtc2-4.ap.sd-rtn.com', port: 443 },
] as const;

/** The domains Agora's Web SDK connects to for signalling. */
const AGORA_DOMAINS = ['agora.io', 'sd-rtn.com', 'agoraio.cn'];

/** An App ID in the right shape that belongs to no project: what a `join-block` fault's wrong credentials are on an App-ID-only project. */
const NO_SUCH_APP_ID = '0'.repeat(32);

/** A project with tokens (a certificate or a token server), as against an App-ID-only one. */
function usesTokens(credentials: AgoraCredentials): boolean {
  return Boolean(credentials.appCertificate || credentials.tokenServer);
}

/** Token lifetime: long enough for a class, short enough to be useless soon after. */
export const TOKEN_EXPIRY_SECONDS = 3600;

/** Reads the Agora credentials from the environment, naming what is missing. */
export function agoraCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AgoraCredentials {
  const appId = env.AGORA_APP_ID?.trim();
  if (!appId) {
    throw new UserError(
      prefixed('agora', 'The agora classroom needs the environment variable AGORA_APP_ID (your project\'s App ID from Agora\'s console), which is not set. ' +
        'For a project with tokens, also set AGORA_APP_CERTIFICATE or AGORA_TOKEN_SERVER.'),
    );
  }
  return { appId, appCertificate: env.AGORA_APP_CERTIFICATE?.trim() || undefined, tokenServer: env.AGORA_TOKEN_SERVER?.trim() || undefined };
}

/** One channel per run; Agora allows letters, digits and a few marks, up to 64 bytes. */
export function channelName(runId: string): string {
  return `supportdrill_${runId.replace(/^run_/, '')}`.slice(0, 64);
}

/** Stable uids: 1000 for the teacher, 1000 + N for student-N. */
export function uidOf(participant: string): number {
  return participant === 'teacher' ? 1000 : 1000 + Number(participant.replace('student-', ''));
}

async function tokenFor(credentials: AgoraCredentials, channel: string, uid: number, publisher: boolean): Promise<string | null> {
  if (credentials.appCertificate) {
    const require = createRequire(import.meta.url);
    const { RtcTokenBuilder, RtcRole } = require('agora-token') as typeof import('agora-token');
    const role = publisher ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER;
    return RtcTokenBuilder.buildTokenWithUid(credentials.appId, credentials.appCertificate, channel, uid, role, TOKEN_EXPIRY_SECONDS, TOKEN_EXPIRY_SECONDS);
  }
  if (credentials.tokenServer) {
    const url = new URL(credentials.tokenServer);
    url.searchParams.set('channel', channel);
    url.searchParams.set('uid', String(uid));
    url.searchParams.set('role', publisher ? 'publisher' : 'subscriber');
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new UserError(prefixed('agora', `The token server ${url.origin} could not be reached: ${(err as Error).message}. Check AGORA_TOKEN_SERVER.`), { cause: err });
    }
    const body = (await response.json().catch(() => ({}))) as { token?: string; rtcToken?: string };
    const token = body.token ?? body.rtcToken;
    if (!response.ok || !token) throw new UserError(prefixed('agora', `The token server ${url.origin} answered ${response.status} without a token. Check AGORA_TOKEN_SERVER.`));
    return token;
  }
  return null; // an App-ID-only project
}

function sdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('agora-rtc-sdk-ng/package.json') as { version: string }).version;
}

/**
 * The classroom on agora-rtc-sdk-ng: each page joins one channel per run, the teacher publishes,
 * students subscribe. Credentials come from the environment and go only into the page URLs.
 */
export function agoraProvider(drill: AgoraDrill, options: AgoraProviderOptions = {}): ClassroomProvider {
  let server: ClassroomServer | undefined;
  let context: ProviderContext | undefined;
  let channel = '';
  const credentials = options.credentials ?? agoraCredentialsFromEnv();
  const tokens = new Map<string, string | null>();
  const agora = drill.classroom.agora ?? { mode: 'rtc', codec: 'vp8' };
  return {
    name: PROVIDER_NAME,
    defaultJoinTimeoutMs: AGORA_JOIN_TIMEOUT_MS,
    // The SDK's test double joins no cloud: it has no gateway to reach.
    ...(options.sdkModule ? {} : { gateways: AGORA_GATEWAYS }),
    async start(ctx) {
      context = ctx;
      channel = channelName(ctx.runId);
      server = await startClassroomServer({ page: 'agora-classroom', alias: options.sdkModule ? { 'agora-rtc-sdk-ng': options.sdkModule } : undefined });
      for (const participant of ctx.participants) tokens.set(participant, await tokenFor(credentials, channel, uidOf(participant), participant === 'teacher'));
    },
    wrongCredentials: usesTokens(credentials) ? "the teacher's token, issued for another uid" : 'an App ID of no project',
    signallingUrls() {
      if (!server) throw new Error('agora provider used before start()');
      // Agora's gateways and access points (its firewall page lists both domains), and the test double's signalling.
      return [...AGORA_DOMAINS.flatMap((domain) => [`*://*.${domain}/*`, `*://*.${domain}:*/*`]), `${server.origin.replace(/^http/, 'ws')}/signal*`];
    },
    // One participant per window: the SDK's own peer connections cannot be told apart in a page.
    url([participant], join) {
      if (!server || !context || !participant) throw new Error('agora provider used before start()');
      const wrong = join?.credentials === 'wrong';
      const query = new URLSearchParams({
        participant,
        appId: wrong && !usesTokens(credentials) ? NO_SUCH_APP_ID : credentials.appId,
        channel,
        uid: String(uidOf(participant)),
        token: (wrong && usesTokens(credentials) ? tokens.get(participant === 'teacher' ? 'student-1' : 'teacher') : tokens.get(participant)) ?? '',
        mode: agora.mode,
        codec: agora.codec,
        width: String(context.video.width),
        height: String(context.video.height),
        fps: String(context.video.fps),
      });
      return `${server.origin}/classroom.html?${query}`;
    },
    versions: () => ({ provider: 'agora', sdk: options.sdkModule ? 'agora-rtc-sdk-ng test double' : `agora-rtc-sdk-ng ${sdkVersion()}` }),
    identifiers: () => ({
      channel,
      uids: Object.fromEntries((context?.participants ?? []).map((p) => [p, uidOf(p)])),
      mode: agora.mode,
      codec: agora.codec,
    }),
    explainNoSession(waiting, joined) {
      if (joined.length === 0) {
        return prefixed(
          'agora',
          `Agora could not be reached: no participant had joined channel ${channel} within ${formatMs(drill.classroom.joinTimeout ?? AGORA_JOIN_TIMEOUT_MS)}. ` +
            `Check that this machine can reach Agora's servers (a network without internet, a proxy or a firewall blocks the join), ` +
            `that AGORA_APP_ID is your project's App ID, and that the project's authentication matches: App ID only, or a token ` +
            `(AGORA_APP_CERTIFICATE or AGORA_TOKEN_SERVER). Nothing was injected and nothing is filed.`,
        );
      }
      return prefixed('agora', `Joined channel ${channel} (${joined.join(', ')}), but no video reached ${waiting.join(', ')}. Nothing was injected and nothing is filed.`);
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
}

/**
 * The `agora` provider: Agora client settings from the drill (`classroom.agora: { mode, codec }`),
 * credentials from the config's `agora` entry, else from AGORA_APP_ID, AGORA_APP_CERTIFICATE and
 * AGORA_TOKEN_SERVER.
 */
export const agora = defineProvider({
  name: PROVIDER_NAME,
  summary: "agora-rtc-sdk-ng on Agora's cloud (needs an App ID)",
  drillOptions: agoraDrillOptions,
  settings: agoraSettings,
  create: (drill, settings) =>
    agoraProvider(drill as AgoraDrill, {
      credentials: settings
        ? {
            appId: resolveSecret(settings.appId, 'agora.appId'),
            appCertificate: settings.appCertificate === undefined ? undefined : resolveSecret(settings.appCertificate, 'agora.appCertificate'),
            tokenServer: settings.tokenServer,
          }
        : undefined,
    }),
});
