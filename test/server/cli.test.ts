// redlua-server CLI: redis-server's argument conventions, its fatal config error report, JSON logs, graceful signals.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConn } from '../helpers/conn.js';
import { parseArgs } from '../../src/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../src/cli.js');

function runSync(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 10000 });
}

/** Starts the CLI and resolves, once it is ready, with the port it announced in its log (Redis format or JSON). */
function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ proc: ReturnType<typeof spawn>; port: number; logs: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let port = 0;
    const logs: string[] = [];
    let buf = '';
    proc.stdout!.on('data', d => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        const m = /Running mode=standalone, port=(\d+)\.|Port: (\d+)/.exec(line);
        if (m) port = Number(m[1] ?? m[2]);
        if (line.includes('Ready to accept connections')) resolve({ proc, port, logs });
      }
    });
    proc.on('exit', code => reject(new Error(`exited with ${code}: ${logs.join('\n')}`)));
  });
}

describe('redlua-server CLI', () => {
  test('unknown directive: the same report as redis-server, exit 1', () => {
    const r = runSync(['--foo', 'bar']);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments\n",
    );
  });

  test('bad values and argument counts', () => {
    assert.equal(runSync(['--port', 'abc']).stderr.split('\n').slice(3).join('\n'), ">>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n");
    assert.equal(runSync(['--port']).stderr.split('\n').slice(3).join('\n'), ">>> 'port'\nwrong number of arguments\n");
    assert.equal(runSync(['--port', '1', '2']).stderr.split('\n').slice(3).join('\n'), ">>> 'port \"1\" \"2\"'\nwrong number of arguments\n");
    assert.match(runSync(['--maxmemory-policy', 'foo']).stderr, /argument\(s\) must be one of the following: volatile-lru, /);
    assert.match(runSync(['--protected-mode', 'maybe']).stderr, /argument must be 'yes' or 'no'\n$/);
  });

  test('config file errors report the file line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const conf = path.join(dir, 'redis.conf');
    fs.writeFileSync(conf, '# comment\nport 7000\n\nnosuch-directive yes\n');
    const r = runSync([conf]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 4\n>>> 'nosuch-directive yes'\nBad directive or wrong number of arguments\n");
    const missing = runSync([path.join(dir, 'missing.conf')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /# Fatal error, can't open config file '.*missing\.conf': No such file or directory\n$/);
    fs.rmSync(dir, { recursive: true });
  });

  test('-v and --help', () => {
    assert.match(runSync(['-v']).stdout, /^Redis server v=7\.0\.15 /);
    const h = runSync(['--help']);
    assert.equal(h.status, 1);
    assert.match(h.stderr, /^Usage: \.\/redlua-server \[\/path\/to\/redis\.conf\] \[options\] \[-\]/);
  });

  test('argument conversion follows redis-server (quoting, multi-word values, --save alone)', () => {
    assert.deepEqual(parseArgs(['--port', '7000', '--save', '900', '1']), { configFile: null, fromStdin: false, options: 'port "7000" \nsave "900" "1" ' });
    assert.equal(parseArgs(['--save', '--port', '1']).options, 'save ""\nport "1" ');
    assert.equal(parseArgs(['--requirepass', 'a "b\\']).options, 'requirepass "a \\"b\\\\" ');
    assert.equal(parseArgs(['--port 7000']).options, 'port 7000 ');
    assert.equal(parseArgs(['-']).fromStdin, true);
  });

  test('config file + command line, JSON logs (--log-format json), SIGTERM shuts down gracefully', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const conf = path.join(dir, 'redis.conf');
    fs.writeFileSync(conf, 'port 0\nrequirepass "from file"\nappendfsync everysec\nrepl-backlog-size 1mb\n');
    const { proc, port, logs } = await startCli([conf, '--log-format', 'json', '--requirepass', 's3cret', '--databases', '4']);
    try {
      for (const l of logs) assert.doesNotThrow(() => JSON.parse(l), `log line is JSON: ${l}`);
      const c = await RawConn.connect(port);
      assert.equal((await c.call(['PING'])).toString(), '-NOAUTH Authentication required.\r\n');
      assert.equal((await c.call(['AUTH', 's3cret'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['SELECT', '3'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['SELECT', '4'])).toString(), '-ERR DB index is out of range\r\n');
      c.close();
      const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.ok(logs.some(l => l.includes('Received SIGTERM scheduling shutdown')));
      assert.ok(logs.some(l => l.includes('ready to exit, bye bye')));
    } finally {
      proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('SIGINT shuts down gracefully too', async () => {
    const { proc, port } = await startCli(['--port', '0']);
    const c = await RawConn.connect(port);
    assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
    const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
    proc.kill('SIGINT');
    assert.equal(await exited, 0);
    await c.waitClose();
  });

  test('reading the config from stdin with -', async () => {
    const r = runSync(['-'], 'port 0\nnosuch 1\n');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /at line 2\n>>> 'nosuch 1'\nBad directive or wrong number of arguments\n$/);
  });
});
