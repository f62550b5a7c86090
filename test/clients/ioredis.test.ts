// ioredis against redlua with its default options (ready check, pipelines, errors, binary values).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../src/index.js';

describe('ioredis', () => {
  let srv: RunningServer;
  let client: Redis;

  before(async () => {
    srv = await startServer({ log: false });
    client = new Redis(srv.port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
  });
  after(async () => {
    client.disconnect();
    await srv.close();
  });

  test('basic commands', async () => {
    assert.equal(await client.ping(), 'PONG');
    assert.equal(await client.set('greeting', 'hello'), 'OK');
    assert.equal(await client.get('greeting'), 'hello');
    assert.equal(await client.incr('counter'), 1);
    assert.equal(await client.incrby('counter', 41), 42);
    assert.equal(await client.get('missing'), null);
    assert.equal(await client.del('greeting', 'counter', 'missing'), 2);
    assert.equal(await client.echo('x'), 'x');
  });

  test('binary-safe values', async () => {
    const value = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x80]);
    await client.set(Buffer.from([0xfe, 0x00]), value);
    assert.deepEqual(await client.getBuffer(Buffer.from([0xfe, 0x00])), value);
  });

  test('pipelines keep order and surface errors per command', async () => {
    const res = await client.pipeline().set('p', '1').incr('p').get('p').lpush('p', 'x').echo('done').exec();
    assert.ok(res);
    assert.deepEqual(res[0], [null, 'OK']);
    assert.deepEqual(res[1], [null, 2]);
    assert.deepEqual(res[2], [null, '2']);
    assert.ok(res[3][0] instanceof Error);
    assert.equal((res[3][0] as Error).message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
    assert.deepEqual(res[4], [null, 'done']);
  });

  test('a deep pipeline of 5000 commands', async () => {
    const p = client.pipeline();
    for (let i = 0; i < 5000; i++) p.set(`k${i}`, String(i));
    for (let i = 0; i < 5000; i++) p.get(`k${i}`);
    const res = (await p.exec())!;
    assert.equal(res.length, 10000);
    for (let i = 0; i < 5000; i++) assert.equal(res[5000 + i][1], String(i));
  });

  test('errors are rejected with the server text', async () => {
    await assert.rejects(client.call('nosuchcommand', 'a'), /ERR unknown command 'nosuchcommand', with args beginning with: 'a'/);
    await assert.rejects(client.call('get'), /ERR wrong number of arguments for 'get' command/);
    await client.set('str', 'x');
    await assert.rejects(client.lpush('str', 'a'), /WRONGTYPE/);
    // the connection is still usable afterwards
    assert.equal(await client.ping(), 'PONG');
  });

  test('lists and sorted sets round-trip', async () => {
    await client.rpush('list', 'a', 'b', 'c');
    assert.deepEqual(await client.lrange('list', 0, -1), ['a', 'b', 'c']);
    await client.zadd('z', '1', 'one', '2.5', 'two');
    assert.deepEqual(await client.zrange('z', '0', '-1', 'WITHSCORES'), ['one', '1', 'two', '2.5']);
  });

  test('DUMP / RESTORE as ioredis users call them (dumpBuffer, restore with REPLACE, errors)', async () => {
    await client.set('dumpsrc', 'value');
    await client.rpush('dumplist', 'a', 'b', 'c');
    const payload = await client.dumpBuffer('dumpsrc');
    assert.ok(Buffer.isBuffer(payload));
    assert.equal(await client.restore('dumpdst', 0, payload), 'OK');
    assert.equal(await client.get('dumpdst'), 'value');
    await assert.rejects(client.restore('dumpdst', 0, payload), /BUSYKEY Target key name already exists\./);
    assert.equal(await client.restore('dumpdst', 5000, await client.dumpBuffer('dumplist'), 'REPLACE'), 'OK');
    assert.deepEqual(await client.lrange('dumpdst', 0, -1), ['a', 'b', 'c']);
    assert.ok((await client.pttl('dumpdst')) > 0);
    await assert.rejects(client.restore('bad', 0, Buffer.from('garbage')), /DUMP payload version or checksum are wrong/);
    assert.equal(await client.dumpBuffer('missing'), null);
    const res = await client.pipeline().dumpBuffer('dumpsrc').del('dumpcopy').exec();
    assert.equal(await client.restore('dumpcopy', 0, res![0][1] as Buffer), 'OK');
    assert.equal(await client.get('dumpcopy'), 'value');
  });
});
