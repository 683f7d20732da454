import { type ServerType, serve } from '@hono/node-server';
import { SqliteSearch } from '../search/engine/search.ts';
import { openDatabase } from '../store/sqlite/database.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Start the HTTP server; resolves once it listens, with the address it listens on. */
export function startServer(store: SqliteStore, host: string, port: number): Promise<RunningServer> {
  const searchDb = openDatabase(store.file, { readonly: true });
  const engine = new SqliteSearch(searchDb);
  const app = createApp(store, { search: (request) => engine.search(request) });
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined;
    try {
      server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
        const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: () =>
            new Promise((done) =>
              server!.close(() => {
                searchDb.close();
                done();
              }),
            ),
        });
      });
      server.on('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
