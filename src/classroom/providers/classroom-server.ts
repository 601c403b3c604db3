import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { bundlePageScript, PAGE_ASSETS_DIR } from '../bundle.ts';

/**
 * A classroom's server on 127.0.0.1 (random port): serves a provider's classroom page and relays
 * signaling between the participants of a room (the local provider's WebRTC, or a test double of a
 * vendor SDK). It never listens on any other address.
 */
export interface ClassroomServer {
  origin: string;
  close(): Promise<void>;
}

export interface ClassroomServerOptions {
  /** The page under src/classroom/page/: `<page>.html` and `<page>.ts`. */
  page: string;
  /** Module aliases for the page bundle (e.g. which SDK build it imports). */
  alias?: Record<string, string>;
  /** The room token a signalling connection must carry (`?token=`); others are closed with {@link WRONG_TOKEN}, as a vendor refuses a wrong token. */
  token?: string;
}

/** The close code of a signalling connection with a wrong room token (4000–4999: the application's own). */
export const WRONG_TOKEN = 4401;

export async function startClassroomServer(options: ClassroomServerOptions): Promise<ClassroomServer> {
  const [html, script] = await Promise.all([
    readFile(PAGE_ASSETS_DIR + `${options.page}.html`, 'utf8'),
    bundlePageScript(`${options.page}.ts`, options.alias),
  ]);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/classroom.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (path === '/classroom.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end('not found');
    }
  });

  const rooms = new Map<string, Map<string, WebSocket>>();
  const wss = new WebSocketServer({ server, path: '/signal' });
  wss.on('connection', (socket, req) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Refused as a vendor refuses a join: the connection opens, the server says why and closes it.
    if (options.token !== undefined && url.searchParams.get('token') !== options.token) return socket.close(WRONG_TOKEN, 'wrong room token');
    const roomId = url.searchParams.get('room') ?? '';
    const participant = url.searchParams.get('participant') ?? '';
    const room = rooms.get(roomId) ?? new Map<string, WebSocket>();
    rooms.set(roomId, room);
    // Both sides learn of each other, whoever arrived first.
    for (const [other, otherSocket] of room) {
      otherSocket.send(JSON.stringify({ type: 'peer-joined', from: participant }));
      socket.send(JSON.stringify({ type: 'peer-joined', from: other }));
    }
    room.set(participant, socket);
    socket.on('message', (raw) => {
      let message: { type?: string; to?: string };
      try {
        message = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (message.type !== 'signal' || !message.to) return;
      room.get(message.to)?.send(JSON.stringify({ ...message, from: participant }));
    });
    socket.on('close', () => {
      if (room.get(participant) === socket) room.delete(participant);
      if (room.size === 0) rooms.delete(roomId);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
