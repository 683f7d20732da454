// Worker threads start without the tsx loader the CLI registers on its main thread: register it
// here, then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./line-parse-worker.ts');
