import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Paperscope } from '../app/paperscope.ts';
import type { PageJob } from './page-jobs.tsx';
import type { FromPageWorker, PageWorkerInput, ToPageWorker } from './page-worker.ts';

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered yet. */
  load: number;
}

/**
 * Worker threads that render store-only pages, each on its own read-only connection: one Node
 * thread serving every page makes four clients queue behind each other while the machine's
 * other cores idle. The main thread keeps what it alone holds (the search index, the one
 * writer) and hands a page over once that part is done. A job goes to the least busy worker;
 * a worker that fails is not used again, and its pages are rendered on the main thread.
 */
export class PageWorkers {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (html: string) => void; reject: (err: Error) => void }
  >();
  private readonly owner = new Map<number, Slot>();
  private nextId = 1;

  constructor(file: string, size: number) {
    const input: PageWorkerInput = { file };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./page-worker.mjs', import.meta.url), { workerData: input });
      // A server that closes does not wait for idle workers.
      worker.unref();
      const slot: Slot = { worker, load: 0 };
      worker.on('message', (message: FromPageWorker) => this.receive(slot, message));
      worker.on('error', (err) => this.fail(slot, err));
      worker.on('exit', (code) => this.fail(slot, new Error(`page worker stopped (exit code ${code})`)));
      this.slots.push(slot);
    }
  }

  /**
   * As many workers as the machine has cores beside the main thread (at most `max`), on a store
   * in a file: none on a single core, where a worker only adds the cost of handing pages over.
   */
  static forMachine(file: string, max = 2): PageWorkers | undefined {
    const size = Math.min(max, availableParallelism() - 1);
    return file === ':memory:' || size < 1 ? undefined : new PageWorkers(file, size);
  }

  /** How many workers are there to take a page. */
  get size(): number {
    return this.slots.length;
  }

  /** Whether any worker is still there to take a page. */
  get available(): boolean {
    return this.slots.length > 0;
  }

  /** The page's HTML, rendered by the least busy worker. */
  render(job: PageJob): Promise<string> {
    const slot = this.slots.reduce((best, s) => (s.load < best.load ? s : best));
    const id = this.nextId++;
    slot.load++;
    this.owner.set(id, slot);
    return new Promise<string>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job } satisfies ToPageWorker);
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private receive(slot: Slot, message: FromPageWorker): void {
    const waiter = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    this.owner.delete(message.id);
    slot.load--;
    if (!waiter) return;
    if ('html' in message) waiter.resolve(message.html);
    else waiter.reject(new Error(`page worker: ${message.error}`));
  }

  private fail(slot: Slot, err: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    console.error(`paperscope: ${err.message}`);
    for (const [id, owner] of this.owner) {
      if (owner !== slot) continue;
      this.owner.delete(id);
      this.waiting.get(id)?.reject(err);
      this.waiting.delete(id);
    }
  }
}

const pools = new WeakMap<Paperscope, PageWorkers>();

/** Serve this instance's store-only pages from these workers (a server does, at start). */
export function usePageWorkers(paperscope: Paperscope, workers: PageWorkers): void {
  pools.set(paperscope, workers);
}

/** The instance's page workers, when it has some that can take a page. */
export function pageWorkersOf(paperscope: Paperscope): PageWorkers | undefined {
  const workers = pools.get(paperscope);
  return workers?.available ? workers : undefined;
}

/** Stop the instance's page workers. */
export async function stopPageWorkers(paperscope: Paperscope): Promise<void> {
  const workers = pools.get(paperscope);
  pools.delete(paperscope);
  await workers?.close();
}
