// Raw protocol fixtures sent to both redlua and a real redis-server 7.0.15: what each replies and whether it closes.
// Goldens: test/server/goldens/wire.json (REDLUA_RECORD=1 re-records them from redis-server).

export interface WireFixture {
  name: string;
  /** bytes to send; an array is sent as separate writes (TCP chunks) */
  send: string | Buffer | (string | Buffer)[];
  /** server started with requirepass (unauthenticated limits) */
  auth?: boolean;
  /** milliseconds between the chunks of `send` (default 2) */
  gap?: number;
}

const b = (s: string) => Buffer.from(s, 'latin1');
const cmd = (...args: (string | Buffer)[]) => {
  let out = `*${args.length}\r\n`;
  const parts: Buffer[] = [];
  for (const a of args) {
    const x = typeof a === 'string' ? b(a) : a;
    parts.push(b(out + `$${x.length}\r\n`), x);
    out = '\r\n';
  }
  parts.push(b('\r\n'));
  return Buffer.concat(parts);
};
const PING = cmd('PING');

export const WIRE_FIXTURES: WireFixture[] = [
  // multibulk length
  { name: 'mbulk count not a number', send: '*abc\r\n' },
  { name: 'mbulk count empty', send: '*\r\n' },
  { name: 'mbulk count with plus', send: '*+1\r\n$4\r\nPING\r\n' },
  { name: 'mbulk count leading zero', send: '*01\r\n$4\r\nPING\r\n' },
  { name: 'mbulk count trailing space', send: '*1 \r\n$4\r\nPING\r\n' },
  { name: 'mbulk count above INT_MAX', send: '*3000000000\r\n' },
  { name: 'mbulk count INT_MAX+1', send: '*2147483648\r\n' },
  { name: 'mbulk count above int64', send: '*99999999999999999999\r\n' },
  { name: 'mbulk count zero is ignored', send: ['*0\r\n', PING] },
  { name: 'mbulk count negative is ignored', send: ['*-1\r\n*-5\r\n', PING] },
  { name: 'mbulk count without LF waits', send: ['*1\r', b('\n$4\r\nPING\r\n')] },
  { name: 'too big mbulk count string', send: '*' + '1'.repeat(70000) },
  { name: 'unauthenticated mbulk count', send: '*11\r\n', auth: true },
  { name: 'unauthenticated mbulk count 10 ok', send: cmd('PING', ...Array(9).fill('x')), auth: true },
  // bulk length
  { name: 'bulk length negative', send: '*1\r\n$-5\r\n' },
  { name: 'bulk length minus one', send: '*1\r\n$-1\r\n' },
  { name: 'bulk length empty', send: '*1\r\n$\r\n' },
  { name: 'bulk length not a number', send: '*1\r\n$abc\r\n' },
  { name: 'bulk length above proto-max-bulk-len', send: '*1\r\n$536870913\r\n' },
  { name: 'bulk length at proto-max-bulk-len waits', send: '*1\r\n$536870912\r\n' },
  { name: 'unauthenticated bulk length', send: '*1\r\n$16385\r\n', auth: true },
  { name: 'unauthenticated bulk length 16384 ok', send: '*2\r\n$4\r\nAUTH\r\n$16384\r\n', auth: true },
  { name: 'too big bulk count string', send: '*1\r\n$' + '1'.repeat(70000) },
  { name: 'expected dollar got x waits without CR', send: '*2\r\n$1\r\na\r\nx' },
  { name: 'expected dollar got x', send: '*2\r\n$4\r\nECHO\r\nx\r\n' },
  { name: 'expected dollar got star', send: '*1\r\n*1\r\n' },
  { name: 'expected dollar got colon', send: '*1\r\n:1\r\n' },
  { name: 'expected dollar got CR', send: '*1\r\n\r\n' },
  { name: 'expected dollar got NUL waits', send: b('*1\r\n\0\r\n') },
  { name: 'expected dollar got high byte', send: b('*1\r\n\xff\r\n') },
  { name: 'bulk trailer bytes are not checked', send: b('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n') },
  { name: 'bulk with NUL inside', send: cmd('ECHO', b('a\0b\r\nc')) },
  { name: 'command name with NUL', send: cmd(b('ab\0cd'), 'x') },
  { name: 'NUL before bulk length CR waits', send: b('*1\r\n$4\0\r\nPING\r\n') },
  { name: 'big bulk argument', send: cmd('ECHO', 'v'.repeat(100000)) },
  { name: 'big bulk argument in chunks', send: [b('*2\r\n$4\r\nECHO\r\n$70000\r\n'), 'a'.repeat(30000), 'b'.repeat(30000), 'c'.repeat(10000) + '\r\n', PING] },
  // inline
  { name: 'inline ping', send: 'PING\r\n' },
  { name: 'inline LF only', send: 'PING\n' },
  { name: 'inline empty lines', send: '\r\n\n   \r\n\t\r\nPING\r\n' },
  { name: 'inline args', send: 'ECHO hello\r\nEcHo   "a b"  \r\n' },
  { name: 'inline quoting', send: 'ECHO "a\\x41\\n\\"b"\r\nECHO \'it\\\'s\'\r\nECHO "\\x4"\r\n' },
  { name: 'inline unterminated double quote', send: 'ECHO "abc\r\n' },
  { name: 'inline unterminated single quote', send: "ECHO 'abc\r\n" },
  { name: 'inline quote followed by char', send: 'ECHO "a"b\r\n' },
  { name: 'inline NUL ends the line', send: b('ECHO a\0b c\r\n') },
  { name: 'inline NUL first', send: b('\0PING\r\n') },
  { name: 'inline too big', send: 'a'.repeat(70000) },
  { name: 'inline 64k exactly waits', send: 'a'.repeat(65536) },
  { name: 'inline starting with dollar', send: '$4\r\nPING\r\n' },
  { name: 'inline unknown command args', send: 'FOO bar baz\r\n' },
  { name: 'inline vertical tab space', send: b('ECHO\x0ba\r\n') },
  // sequencing
  { name: 'replies before protocol error', send: b('PING\r\n*1\r\n$4\r\nPING\r\n*abc\r\nPING\r\n') },
  { name: 'pipeline of 1000 pings', send: Buffer.concat(Array(1000).fill(PING)) },
  { name: 'pipeline mixed inline and multibulk', send: b('PING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO y\r\n') },
  { name: 'byte by byte', send: [...cmd('ECHO', 'hello world')].map(x => Buffer.from([x])) },
  { name: 'quit closes after reply', send: b('PING\r\nQUIT\r\nPING\r\n') },
  // cross protocol scripting: the connection is dropped, pending replies included
  { name: 'security POST', send: 'POST / HTTP/1.1\r\nHost: localhost\r\n\r\n' },
  { name: 'security host after ping', send: 'PING\r\nHost: x\r\n' },
  { name: 'security host multibulk', send: cmd('HOST:', 'x') },
];
