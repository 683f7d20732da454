import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { createApp } from '../src/server/app.tsx';
import { ImportService } from '../src/services/import.service.ts';
import { defaultRegistry } from '../src/sources/registry.ts';
import { tempDataDir } from './cli-helpers.ts';
import { seedPath } from './shared.ts';

/** A fresh instance in a temp folder with the given seed pages imported, and its app for `app.request`. */
export async function webFixture(seeds: string[], env: NodeJS.ProcessEnv = {}) {
  const data = tempDataDir('paperscope-web-');
  const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir, ...env }));
  const importer = new ImportService(paperscope.store, defaultRegistry);
  for (const seed of seeds) await importer.importFile(seedPath(seed));
  const app = createApp(paperscope);
  return {
    data,
    paperscope,
    app,
    close() {
      paperscope.close();
      data.cleanup();
    },
  };
}

/** A signed-in person: the cookie their browser would send and the form token pages give them. */
export async function signedIn(fixture: Awaited<ReturnType<typeof webFixture>>, email: string) {
  const accounts = fixture.paperscope.accounts;
  const user = await accounts.createUser({
    email,
    name: email.split('@')[0]!,
    password: 'correct horse battery staple',
  });
  const session = await accounts.createSession(user.id);
  const cookie = `ps_session=${session.id}`;
  const csrf = await accounts.csrfToken('session', session.id);
  return { user, cookie, csrf };
}
