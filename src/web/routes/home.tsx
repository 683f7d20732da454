import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { HomePage } from '../pages/home.tsx';
import { page } from '../render.tsx';

export function homeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const store = c.var.app.store;
    const [stats, latest] = await Promise.all([store.stats(), store.listPapers({ limit: 20 })]);
    return page(c, 'Paperscope', <HomePage stats={stats} latest={latest} />);
  });
  return app;
}
