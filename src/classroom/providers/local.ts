import { defineProvider, type ClassroomProvider, type ProviderContext } from './provider.ts';
import { startClassroomServer, type ClassroomServer } from './classroom-server.ts';

export const PROVIDER_NAME = 'local';

/** The embedded default: plain WebRTC between the pages, signalled through 127.0.0.1, no internet. */
export function localProvider(): ClassroomProvider {
  let server: ClassroomServer | undefined;
  let context: ProviderContext | undefined;
  return {
    name: PROVIDER_NAME,
    async start(ctx) {
      context = ctx;
      server = await startClassroomServer({ page: 'local-classroom' });
    },
    url(participant) {
      if (!server || !context) throw new Error('local provider used before start()');
      const query = new URLSearchParams({
        room: context.runId,
        participant,
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

/** The `local` provider: no options, no settings. */
export const local = defineProvider({
  name: PROVIDER_NAME,
  summary: 'plain WebRTC between the pages on this machine, no internet (the default)',
  create: () => localProvider(),
});
