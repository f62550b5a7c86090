// Real-client test: BullMQ's Lua scripts and basic queue flow (add, process, complete, retry, delay) on redlua, compared with redis-server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Queue, Worker, QueueEvents, type Job } from 'bullmq';
import { startServer, type RunningServer } from '../../src/index.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

interface FlowResult {
  completed: [string, unknown][];
  failedAttempts: number;
  counts: Record<string, number>;
  delayedWaitedMs: number;
  retriedResult: unknown;
}

/** The same flow on any server: 3 jobs completed, one failing once then succeeding, one delayed. */
async function flow(port: number, name: string): Promise<FlowResult> {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  let failedAttempts = 0;
  const completed: [string, unknown][] = [];
  const worker = new Worker(
    name,
    async (job: Job) => {
      if (job.name === 'flaky' && job.attemptsMade === 0) {
        failedAttempts++;
        throw new Error('first attempt fails');
      }
      return { doubled: (job.data as { n: number }).n * 2 };
    },
    { connection, concurrency: 1 },
  );
  try {
    const done = new Promise<void>(resolve => {
      worker.on('completed', (job: Job, rv: unknown) => {
        completed.push([job.name, rv]);
        if (completed.length === 5) resolve();
      });
    });
    await queue.add('a', { n: 1 });
    await queue.add('b', { n: 2 });
    await queue.add('c', { n: 3 });
    const flaky = await queue.add('flaky', { n: 4 }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const t0 = Date.now();
    const delayed = await queue.add('delayed', { n: 5 }, { delay: 300 });
    await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error('flow timed out')), 20000))]);
    const delayedJob = await queue.getJob(delayed.id!);
    const delayedWaitedMs = (delayedJob!.processedOn ?? 0) - t0;
    const retried = await queue.getJob(flaky.id!);
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
    completed.sort((x, y) => x[0].localeCompare(y[0]));
    return { completed, failedAttempts, counts, delayedWaitedMs, retriedResult: retried?.returnvalue };
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
}

let redlua: RunningServer | null = null;
let oracle: Oracle | null = null;
after(async () => {
  if (redlua) await redlua.close();
  if (oracle) await oracle.stop();
});

test('BullMQ basic flow on redlua matches redis-server', async t => {
  redlua = await startServer({ log: false });
  let ours: FlowResult;
  try {
    ours = await flow(redlua.port, 'rl');
  } catch (e) {
    // The queue scripts use lists, hashes, sorted sets and streams; say clearly which command is missing.
    const msg = (e as Error).message;
    if (/unknown command|Unknown Redis command called from script/.test(msg)) {
      t.skip(`a command BullMQ needs is not implemented yet: ${msg}`);
      return;
    }
    throw e;
  }
  assert.deepEqual(ours.completed, [
    ['a', { doubled: 2 }],
    ['b', { doubled: 4 }],
    ['c', { doubled: 6 }],
    ['delayed', { doubled: 10 }],
    ['flaky', { doubled: 8 }],
  ]);
  assert.equal(ours.failedAttempts, 1);
  assert.ok(ours.delayedWaitedMs >= 250, `delayed job ran after ${ours.delayedWaitedMs} ms`);
  if (redisServerAvailable()) {
    oracle = await startRedis();
    const theirs = await flow(oracle.port, 'rs');
    assert.deepEqual(ours.completed, theirs.completed);
    assert.deepEqual(ours.counts, theirs.counts);
    assert.deepEqual(ours.retriedResult, theirs.retriedResult);
  }
});
