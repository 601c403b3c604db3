import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineProvider, type ClassroomProvider, type ProviderContext } from './provider.ts';
import { startClassroomServer, type ClassroomServer } from './classroom-server.ts';
import { findJanus, janusNotInstalled } from './janus-server.ts';
import { localSfuProvider } from './local-sfu.ts';

export const PROVIDER_NAME = 'local';

/** What a drill may say under `classroom.local`. */
export const localDrillOptions = z.strictObject({
  /**
   * How the pages are connected: `mesh` (the teacher's page sends to every student itself), `sfu`
   * (the teacher uploads once to a private Janus media server on this machine, which forwards to
   * every student: needs `janus` installed), or `auto`: the SFU for 2 or more students when Janus
   * is installed, else the mesh.
   * @defaultValue `'auto'`
   */
  topology: z.enum(['auto', 'mesh', 'sfu']).default('auto'),
});

/** What the local provider reads of a drill. */
export interface LocalDrill {
  classroom: { students?: number; local?: z.output<typeof localDrillOptions> };
}

/**
 * The topology a drill gets, given the Janus binary there is (if any); `sfu` without one is the
 * install error, before anything starts.
 */
export function localTopology(drill: LocalDrill, janus: string | undefined): 'mesh' | 'sfu' {
  const asked = drill.classroom.local?.topology ?? 'auto';
  if (asked === 'sfu' && !janus) throw janusNotInstalled();
  if (asked !== 'auto') return asked;
  // One student gains nothing from a server in between: the mesh is then the same single upload.
  return (drill.classroom.students ?? 2) >= 2 && janus ? 'sfu' : 'mesh';
}

/** The embedded default: plain WebRTC between the pages, signalled through 127.0.0.1, no internet. */
export function localProvider(): ClassroomProvider {
  let server: ClassroomServer | undefined;
  let context: ProviderContext | undefined;
  // The room's token: the classroom server refuses signalling without it, as a vendor refuses a wrong token.
  const token = randomBytes(12).toString('hex');
  return {
    name: PROVIDER_NAME,
    async start(ctx) {
      context = ctx;
      server = await startClassroomServer({ page: 'local-classroom', token });
    },
    hostsSeveral: true,
    topology: () => 'mesh',
    wrongCredentials: 'a room token the classroom server refuses',
    signallingUrls() {
      if (!server) throw new Error('local provider used before start()');
      return [`${server.origin.replace(/^http/, 'ws')}/signal*`];
    },
    url(participants, join) {
      if (!server || !context) throw new Error('local provider used before start()');
      const query = new URLSearchParams({
        room: context.runId,
        token: join?.credentials === 'wrong' ? `wrong-${token}` : token,
        participants: participants.join(','),
        width: String(context.video.width),
        height: String(context.video.height),
        fps: String(context.video.fps),
      });
      return `${server.origin}/classroom.html?${query}`;
    },
    versions: () => ({ provider: 'local (browser WebRTC)' }),
    identifiers: () => ({ room: context?.runId, participants: context?.participants }),
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
}

/** The `local` provider: `classroom.local.topology`, no settings. */
export const local = defineProvider({
  name: PROVIDER_NAME,
  summary: 'plain WebRTC on this machine, a mesh or through a local Janus SFU, no internet (the default)',
  drillOptions: localDrillOptions,
  create: (drill) => {
    const local = drill as LocalDrill;
    // A mesh asked for by name needs no Janus, not even a well-formed SUPPORTDRILL_JANUS.
    const janus = local.classroom.local?.topology === 'mesh' ? undefined : findJanus();
    return localTopology(local, janus) === 'sfu' ? localSfuProvider(PROVIDER_NAME, { janus: { binary: janus } }) : localProvider();
  },
});
