// `redlua-server --ping [--port P] [--host H] [--pass PASSWORD]`: a health check that needs no redis-cli (Redis's
// images use `redis-cli ping`). Connects, optionally AUTHs, sends PING and exits 0 on +PONG, 1 otherwise.
import net from 'node:net';

export interface PingOptions {
  host: string;
  port: number;
  pass: string | null;
  timeoutMs: number;
}

/** Parses the arguments after `--ping`; null (with a message on stderr) when they are not understood. */
export function parsePingArgs(args: string[]): PingOptions | null {
  const o: PingOptions = { host: '127.0.0.1', port: 6379, pass: process.env.REDISCLI_AUTH || null, timeoutMs: 3000 };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (value === undefined) {
      process.stderr.write(`--ping: ${name} needs a value\n`);
      return null;
    }
    if (name === '--host' || name === '-h') o.host = value;
    else if (name === '--port' || name === '-p') o.port = Number(value);
    else if (name === '--pass' || name === '-a') o.pass = value;
    else if (name === '--timeout') o.timeoutMs = Number(value) * 1000;
    else {
      process.stderr.write(`--ping: unknown option ${name}\n`);
      return null;
    }
  }
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535 || !(o.timeoutMs > 0)) {
    process.stderr.write('--ping: bad --port or --timeout\n');
    return null;
  }
  return o;
}

function bulk(args: string[]): string {
  return `*${args.length}\r\n` + args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/** Resolves to the first reply line of PING ("+PONG" when healthy, an error line, or a connection error). */
export function ping(o: PingOptions): Promise<string> {
  return new Promise(resolve => {
    const s = net.connect(o.port, o.host);
    const done = (line: string) => {
      clearTimeout(timer);
      s.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done('timeout'), o.timeoutMs);
    let got = '';
    // AUTH's reply comes first when a password is given
    let skip = o.pass !== null ? 1 : 0;
    s.on('connect', () => s.write((o.pass !== null ? bulk(['AUTH', o.pass]) : '') + bulk(['PING'])));
    s.on('data', d => {
      got += d.toString('latin1');
      let i: number;
      while ((i = got.indexOf('\r\n')) >= 0) {
        const line = got.slice(0, i);
        got = got.slice(i + 2);
        if (skip > 0 && line.startsWith('+')) skip--;
        else return done(line);
      }
    });
    s.on('error', e => done(`error: ${e.message}`));
    s.on('close', () => done('connection closed'));
  });
}

/** The `--ping` mode: prints the reply and returns the exit status. */
export async function pingMain(args: string[]): Promise<number> {
  const o = parsePingArgs(args);
  if (!o) return 2;
  const line = await ping(o);
  process.stdout.write(line.replace(/^\+/, '') + '\n');
  return line === '+PONG' ? 0 : 1;
}
