import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from './context.ts';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/** The files under /static, read once at start; nothing outside the known set can be asked for. */
export function loadAssets(dir: string = STATIC_DIR): Map<string, { body: Buffer; type: string }> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else {
        const type = TYPES[extname(entry.name)];
        if (type) assets.set(`${prefix}${entry.name}`, { body: readFileSync(path), type });
      }
    }
  };
  walk(dir, '');
  return assets;
}

export function staticRoutes(extra: Map<string, { body: Buffer; type: string }> = new Map()): Hono<AppEnv> {
  const assets = new Map([...loadAssets(), ...extra]);
  const app = new Hono<AppEnv>();
  app.get('/static/:path{.+}', (c) => {
    const asset = assets.get(c.req.param('path'));
    if (!asset) return c.text('Not found', 404);
    c.header('content-type', asset.type);
    c.header('cache-control', 'public, max-age=3600');
    return c.body(new Uint8Array(asset.body));
  });
  return app;
}
