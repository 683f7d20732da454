// The search index is built in a worker thread, which does not inherit the loader hooks of the
// thread that started it: register tsx here, then run the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./index-worker.ts');
