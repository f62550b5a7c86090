// The server log in Redis's line format (src/server/log.ts; Redis: serverLogRaw): prefix, level characters, filtering, logfile.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, formatLogLine, logTimestamp, asciiLogo, LL_DEBUG, LL_VERBOSE, LL_NOTICE, LL_WARNING } from '../../src/server/log.js';

describe('Redis log format', () => {
  test('the line prefix is pid:role dd Mon yyyy hh:mm:ss.mmm <level-char>', () => {
    const d = new Date(2026, 0, 7, 3, 4, 5, 9);
    assert.equal(logTimestamp(d), '07 Jan 2026 03:04:05.009');
    assert.equal(formatLogLine(42, 'M', LL_WARNING, 'hello', d), '42:M 07 Jan 2026 03:04:05.009 # hello');
    assert.equal(formatLogLine(42, 'C', LL_NOTICE, 'x', d), '42:C 07 Jan 2026 03:04:05.009 * x');
    assert.equal(formatLogLine(42, 'S', LL_VERBOSE, 'x', d), '42:S 07 Jan 2026 03:04:05.009 - x');
    assert.equal(formatLogLine(42, 'X', LL_DEBUG, 'x', d), '42:X 07 Jan 2026 03:04:05.009 . x');
  });

  test('logfile: lines appended, loglevel filters, level changes apply, raw text and signal-handler lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-log-'));
    const file = path.join(dir, 'redis.log');
    fs.writeFileSync(file, 'previous\n');
    const log = createLogger({ level: 'notice', file, format: 'redis' });
    log.debug('d1');
    log.verbose('v1');
    log.notice('n1');
    log.warning('w1');
    log.level = 'debug';
    log.debug('d2');
    log.log(LL_VERBOSE, 'v2');
    log.role = 'S';
    log.raw(LL_NOTICE, 'RAW TEXT\n');
    log.fromHandler(LL_WARNING, 'Received SIGTERM scheduling shutdown...');
    log.level = 'warning';
    log.notice('n2');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.rmSync(dir, { recursive: true });
    assert.equal(lines[0], 'previous');
    const p = `${process.pid}:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}`;
    assert.match(lines[1], new RegExp(`^${p} \\* n1$`));
    assert.match(lines[2], new RegExp(`^${p} # w1$`));
    assert.match(lines[3], new RegExp(`^${p} \\. d2$`));
    assert.match(lines[4], new RegExp(`^${p} - v2$`));
    assert.equal(lines[5], 'RAW TEXT');
    assert.match(lines[6], new RegExp(`^${process.pid}:signal-handler \\(\\d+\\) Received SIGTERM scheduling shutdown\\.\\.\\.$`));
    assert.equal(lines[7], '');
    assert.equal(lines.length, 8);
  });

  test('a silent logger stays silent when loglevel changes', () => {
    const log = createLogger({ level: 'debug', file: 'silent' });
    log.level = 'debug';
    assert.equal(log.level, 'silent');
  });

  test('the logo carries the port and " PID: <pid>" the test harness waits for', () => {
    const logo = asciiLogo(6380, 'standalone', 1234);
    assert.match(logo, /Redis 7\.0\.15 \(00000000\/0\) 64 bit\n/);
    assert.match(logo, /Running in standalone mode\n/);
    assert.match(logo, /\|     Port: 6380\n/);
    assert.match(logo, /\|     PID: 1234\n/);
    assert.ok(logo.endsWith('`-.__.-\'                                               \n\n'));
  });
});
