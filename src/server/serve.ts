import { type ServerType, serve } from '@hono/node-server';
import type { PaperStore } from '../store/port.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Start the HTTP server; resolves once it listens, with the address it listens on. */
export function startServer(store: PaperStore, host: string, port: number): Promise<RunningServer> {
  const app = createApp(store);
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined;
    try {
      server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
        const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: () => new Promise((done) => server!.close(() => done())),
        });
      });
      server.on('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
