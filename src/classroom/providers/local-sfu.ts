/**
 * The `local` classroom as an SFU: the teacher uploads once to a private Janus on 127.0.0.1 (its
 * videoroom plugin) and Janus forwards to every student, as a vendor's edge does. Node owns the
 * room, the teacher's feed id and every participant's Janus session and handle, and gives the
 * pages theirs in the URL; so it can also pull the lever only a media server has: stop forwarding
 * to some students while their peer connections stay up.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { prefixed } from '../../core/errors.ts';
import { startClassroomServer, type ClassroomServer } from './classroom-server.ts';
import { connectJanus, connectJanusAdmin, createRoom, setForwarding, type JanusAdmin, type JanusApi } from './janus-api.ts';
import { startJanus, type JanusServer, type JanusServerOptions } from './janus-server.ts';
import type { ClassroomProvider, ProviderContext } from './provider.ts';

/** The teacher's publisher id in the room (Janus's "feed"); students have none, they only subscribe. */
export const TEACHER_FEED = 1000;

export interface LocalSfuOptions {
  janus?: JanusServerOptions;
}

interface Ids {
  session: number;
  handle: number;
}

export function localSfuProvider(name: string, options: LocalSfuOptions = {}): ClassroomProvider {
  let janus: JanusServer | undefined;
  let api: JanusApi | undefined;
  let admin: JanusAdmin | undefined;
  let server: ClassroomServer | undefined;
  let context: ProviderContext | undefined;
  // Janus rooms are numbered; a random one per run, so logs of two runs never mix.
  const room = randomInt(1, 2 ** 31);
  const ids = new Map<string, Ids>();
  let janusVersion: string | undefined;
  const version = () => (janusVersion ? `janus ${janusVersion}` : 'janus');

  return {
    name,
    hostsSeveral: true,
    topology: () => `sfu (${version()})`,
    async start(ctx) {
      context = ctx;
      // Janus starts while the page bundles; each is kept as soon as it is up, so stop() ends it whatever fails next.
      await Promise.all([
        startJanus(options.janus).then((j) => {
          janus = j;
          janusVersion = j.version;
        }),
        startClassroomServer({ page: 'sfu-classroom' }).then((s) => (server = s)),
      ]);
      api = await connectJanus(janus!.url);
      admin = await connectJanusAdmin(janus!.adminUrl, janus!.adminSecret);
      // Plugin requests go through a handle: the runner has one of its own, beside the participants'.
      const session = await api.createSession();
      const handle = await api.attachVideoRoom(session, `${ctx.runId}/runner`);
      await createRoom(api, session, handle, { room, description: ctx.runId, secret: randomBytes(12).toString('hex') });
      for (const participant of ctx.participants) {
        const own = await api.createSession();
        ids.set(participant, { session: own, handle: await api.attachVideoRoom(own, `${ctx.runId}/${participant}`) });
      }
    },
    wrongCredentials: 'Janus session and handle ids that are not its own',
    signallingUrls() {
      if (!janus) throw new Error('local SFU provider used before start()');
      const { protocol, host } = new URL(janus.url);
      return [`${protocol}//${host}/*`];
    },
    url(participants, join) {
      if (!server || !context || !janus) throw new Error('local SFU provider used before start()');
      const handles = participants.map((p) => {
        const own = ids.get(p);
        if (!own) throw new Error(`no Janus session for '${p}'`);
        // Ids Janus never gave out: claiming the session fails, as a wrong token fails a vendor's join.
        if (join?.credentials === 'wrong') return `${p}:${randomInt(1, 2 ** 31)}:${randomInt(1, 2 ** 31)}`;
        return `${p}:${own.session}:${own.handle}`;
      });
      const query = new URLSearchParams({
        janus: janus.url,
        room: String(room),
        feed: String(TEACHER_FEED),
        participants: participants.join(','),
        handles: handles.join(','),
        width: String(context.video.width),
        height: String(context.video.height),
        fps: String(context.video.fps),
      });
      return `${server.origin}/classroom.html?${query}`;
    },
    async stopForwarding(students, media) {
      if (!api || !admin) throw new Error('local SFU provider used before start()');
      const [janusApi, janusAdmin] = [api, admin];
      const targets = students.map((student) => {
        const own = ids.get(student);
        if (!own) throw new Error(`no Janus subscriber for '${student}'`);
        return { student, own };
      });
      const forward = (send: boolean) =>
        Promise.all(
          targets.map(({ student, own }) =>
            setForwarding(janusApi, janusAdmin, own, media, send).catch((err: Error) => {
              throw new Error(prefixed('janus', `could not ${send ? 'resume' : 'stop'} forwarding the teacher's ${media} to ${student}: ${err.message}`), { cause: err });
            }),
          ),
        );
      await forward(false);
      let resumed: Promise<unknown> | undefined;
      // Idempotent: the fault's end and the run's rollback may both ask.
      return async () => {
        resumed ??= forward(true);
        await resumed;
      };
    },
    versions: () => ({ provider: `local SFU (${version()} videoroom, browser WebRTC)`, janus: janusVersion ?? 'not started' }),
    identifiers: () => ({
      room,
      participants: context?.participants,
      feeds: { teacher: TEACHER_FEED },
      handles: Object.fromEntries([...ids].map(([p, own]) => [p, own.handle])),
    }),
    explainNoSession(waiting, joined) {
      const who = joined.length ? `${joined.join(', ')} joined room ${room}, but no video reached ${waiting.join(', ')}` : `nobody joined room ${room}`;
      return prefixed('janus', `The SFU class was not in session: ${who}. Nothing was injected and nothing is filed. Janus's last words:\n${janus?.logTail() || '(nothing)'}`);
    },
    async stop() {
      api?.close();
      admin?.close();
      api = admin = undefined;
      await Promise.all([server?.close(), janus?.stop()]);
      server = janus = undefined;
    },
  };
}
