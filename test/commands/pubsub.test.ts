// Pub/sub between clients: fan-out, patterns, shard channels, RESP3 push interleaved with replies, subscribed mode,
// slow-consumer disconnection by client-output-buffer-limit, cleanup on disconnect and RESET.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('pub/sub', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });
  const conn = () => RawConn.connect(srv.port);
  const str = (b: Buffer) => b.toString('latin1');

  test('fan-out to many subscribers, channel and pattern, in subscription order', async () => {
    const subs = await Promise.all(Array.from({ length: 60 }, conn));
    for (const [i, s] of subs.entries()) {
      if (i % 2 === 0) assert.equal(str(await s.call(['SUBSCRIBE', 'news'])), '*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
      else assert.equal(str(await s.call(['PSUBSCRIBE', 'n*'])), '*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n');
    }
    const pub = await conn();
    assert.equal(str(await pub.call(['PUBLISH', 'news', 'hello'])), ':60\r\n');
    assert.equal(str(await pub.call(['PUBLISH', 'nope', 'x'])), ':30\r\n');
    assert.equal(str(await pub.call(['PUBSUB', 'NUMSUB', 'news'])), '*2\r\n$4\r\nnews\r\n:30\r\n');
    assert.equal(str(await pub.call(['PUBSUB', 'NUMPAT'])), ':1\r\n');
    for (const [i, s] of subs.entries()) {
      const m = str((await s.readRaw()).raw);
      if (i % 2 === 0) assert.equal(m, '*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
      else {
        assert.equal(m, '*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
        assert.equal(str((await s.readRaw()).raw), '*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnope\r\n$1\r\nx\r\n');
      }
    }
    for (const s of subs) s.close();
    await sleep(50);
    assert.equal(str(await pub.call(['PUBSUB', 'NUMSUB', 'news'])), '*2\r\n$4\r\nnews\r\n:0\r\n');
    assert.equal(str(await pub.call(['PUBSUB', 'NUMPAT'])), ':0\r\n');
    assert.equal(str(await pub.call(['PUBLISH', 'news', 'x'])), ':0\r\n');
    pub.close();
  });

  test('RESP3 subscriber gets push frames interleaved with ordinary replies', async () => {
    const s = await conn();
    const pub = await conn();
    await s.call(['HELLO', '3']);
    assert.equal(str(await s.call(['SUBSCRIBE', 'c3'])), '>3\r\n$9\r\nsubscribe\r\n$2\r\nc3\r\n:1\r\n');
    await pub.call(['PUBLISH', 'c3', 'one']);
    // an ordinary command still works; the push that arrived before it is read first
    s.send(['SET', 'k3', 'v']);
    assert.equal(str((await s.readRaw()).raw), '>3\r\n$7\r\nmessage\r\n$2\r\nc3\r\n$3\r\none\r\n');
    assert.equal(str((await s.readRaw()).raw), '+OK\r\n');
    // publishing to itself: the push precedes the integer reply
    s.send(['PUBLISH', 'c3', 'self']);
    assert.equal(str((await s.readRaw()).raw), '>3\r\n$7\r\nmessage\r\n$2\r\nc3\r\n$4\r\nself\r\n');
    assert.equal(str((await s.readRaw()).raw), ':1\r\n');
    s.close();
    pub.close();
  });

  test('RESP2 subscribed mode refuses other commands; leaving it restores them', async () => {
    const s = await conn();
    await s.call(['SUBSCRIBE', 'a']);
    assert.equal(
      str(await s.call(['GET', 'x'])),
      "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    assert.equal(str(await s.call(['UNSUBSCRIBE'])), '*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n');
    assert.equal(str(await s.call(['GET', 'x'])), '$-1\r\n');
    s.close();
  });

  test('shard channels are separate from global channels and ignore patterns', async () => {
    const s = await conn();
    const p = await conn();
    await s.call(['PSUBSCRIBE', '*']);
    assert.equal(str(await s.call(['SSUBSCRIBE', 'sh'])), '*3\r\n$10\r\nssubscribe\r\n$2\r\nsh\r\n:1\r\n');
    assert.equal(str(await p.call(['SPUBLISH', 'sh', 'm'])), ':1\r\n');
    assert.equal(str((await s.readRaw()).raw), '*3\r\n$8\r\nsmessage\r\n$2\r\nsh\r\n$1\r\nm\r\n');
    assert.equal(str(await p.call(['PUBSUB', 'SHARDCHANNELS'])), '*1\r\n$2\r\nsh\r\n');
    assert.equal(str(await p.call(['PUBSUB', 'CHANNELS'])), '*0\r\n');
    s.close();
    p.close();
  });

  test('RESET and disconnect drop every subscription', async () => {
    const s = await conn();
    const p = await conn();
    await s.call(['SUBSCRIBE', 'r1']);
    await s.call(['PSUBSCRIBE', 'r*']);
    assert.equal(str(await s.call(['RESET'])), '+RESET\r\n');
    assert.equal(str(await p.call(['PUBLISH', 'r1', 'x'])), ':0\r\n');
    assert.equal(str(await s.call(['GET', 'nokey'])), '$-1\r\n');
    await s.call(['SUBSCRIBE', 'r2']);
    s.close();
    await sleep(30);
    assert.equal(str(await p.call(['PUBLISH', 'r2', 'x'])), ':0\r\n');
    p.close();
  });

  test('a subscriber that never reads is disconnected at the pubsub hard limit; others are unaffected', async () => {
    const local = await startServer({ log: false, config: { 'client-output-buffer-limit': 'pubsub 4mb 2mb 60' } });
    try {
      // slow: a raw socket that subscribes and then stops reading
      const slow = net.connect(local.port, '127.0.0.1');
      await new Promise(r => slow.once('connect', r));
      slow.write('*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nflood\r\n');
      await sleep(50);
      slow.pause();
      slow.on('error', () => {});
      const fast = await RawConn.connect(local.port);
      await fast.call(['SUBSCRIBE', 'flood']);
      const pub = await RawConn.connect(local.port);
      assert.equal(str(await pub.call(['PUBSUB', 'NUMSUB', 'flood'])), '*2\r\n$5\r\nflood\r\n:2\r\n');
      const payload = 'x'.repeat(64 * 1024);
      let receivers = 2;
      let sent = 0;
      // the kernel absorbs a few MB before the server-side queue grows; 4mb more and the slow one is dropped
      while (receivers === 2 && sent < 2000) {
        receivers = Number(str(await pub.call(['PUBLISH', 'flood', payload])).slice(1, -2));
        sent++;
        await fast.readRaw();
      }
      assert.equal(receivers, 1, 'the slow subscriber was disconnected');
      assert.ok(sent > 64, `dropped only after going past the hard limit (sent ${sent} x 64kb)`);
      assert.equal(str(await pub.call(['PUBSUB', 'NUMSUB', 'flood'])), '*2\r\n$5\r\nflood\r\n:1\r\n');
      assert.equal(str(await pub.call(['PUBLISH', 'flood', 'after'])), ':1\r\n');
      assert.equal(str((await fast.readRaw()).raw), '*3\r\n$7\r\nmessage\r\n$5\r\nflood\r\n$5\r\nafter\r\n');
      assert.equal(str(await pub.call(['PING'])), '+PONG\r\n');
      slow.destroy();
      fast.close();
      pub.close();
    } finally {
      await local.close();
    }
  });

  test('keyspace notifications reach pattern subscribers with the right channel names', async () => {
    const s = await conn();
    const w = await conn();
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEt']);
    await s.call(['PSUBSCRIBE', '__key*@0__:*']);
    await w.call(['XADD', 'ks', '1-0', 'a', 'b']);
    assert.equal(str((await s.readRaw()).raw), '*4\r\n$8\r\npmessage\r\n$12\r\n__key*@0__:*\r\n$17\r\n__keyspace@0__:ks\r\n$4\r\nxadd\r\n');
    assert.equal(str((await s.readRaw()).raw), '*4\r\n$8\r\npmessage\r\n$12\r\n__key*@0__:*\r\n$19\r\n__keyevent@0__:xadd\r\n$2\r\nks\r\n');
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await s.call(['SUBSCRIBE', 'marker']);
    await w.call(['XADD', 'ks', '2-0', 'a', 'b']);
    await w.call(['PUBLISH', 'marker', 'm']);
    // the first thing after the subscription confirmation is the marker: no event for the second XADD
    assert.match(str((await s.readRaw()).raw), /marker/);
    s.close();
    w.close();
  });
});
