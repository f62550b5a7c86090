// redis-cli against redlua (skipped when redis-cli is not installed).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, type RunningServer } from '../../src/index.js';

const haveCli = spawnSync('redis-cli', ['--version']).status === 0;

describe('redis-cli', { skip: haveCli ? false : 'redis-cli is not installed' }, () => {
  let srv: RunningServer;
  // The server runs in this process: redis-cli must run asynchronously (spawnSync would block the server).
  const run = (args: string[], input?: string) =>
    new Promise<{ stdout: string; stderr: string; status: number | null }>(resolve => {
      const p = spawn('redis-cli', ['-p', String(srv.port), ...args]);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', d => (stdout += d));
      p.stderr.on('data', d => (stderr += d));
      p.on('close', status => resolve({ stdout, stderr, status }));
      p.stdin.end(input ?? '');
    });
  const cli = (...args: string[]) => run(args);
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  test('one-shot commands', async () => {
    assert.equal((await cli('PING')).stdout, 'PONG\n');
    assert.equal((await cli('SET', 'k', 'hello world')).stdout, 'OK\n');
    assert.equal((await cli('GET', 'k')).stdout, 'hello world\n');
    assert.equal((await cli('INCRBY', 'n', '5')).stdout, '5\n');
    assert.equal((await cli('--no-raw', 'GET', 'nosuch')).stdout, '(nil)\n');
  });

  test('errors are printed as redis-cli prints them', async () => {
    const r = await cli('NOSUCH', 'x');
    assert.equal(r.stdout, "ERR unknown command 'NOSUCH', with args beginning with: 'x' \n\n");
    assert.equal((await cli('--no-raw', 'GET')).stdout, "(error) ERR wrong number of arguments for 'get' command\n");
  });

  test('RESP3 (-3) and stdin pipelines', async () => {
    assert.equal((await cli('-3', 'PING')).stdout, 'PONG\n');
    const r = await run([], 'SET a 1\nINCR a\nGET a\n');
    assert.equal(r.stdout, 'OK\n2\n2\n');
  });

  test('--pipe mass insertion', async () => {
    let input = '';
    for (let i = 0; i < 2000; i++) input += `*3\r\n$3\r\nSET\r\n$${`key:${i}`.length}\r\nkey:${i}\r\n$1\r\nv\r\n`;
    const r = await run(['--pipe'], input);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /errors: 0, replies: 2000/);
  });
});
