// pubsub commands (Redis: pubsub.c): SUBSCRIBE family, PUBLISH/SPUBLISH and PUBSUB introspection.
import { forcePropagation, PROPAGATE_REPL } from '../replication/propagate.js';
import type { Handler } from './table.js';
import { CF, type Client } from '../server/client.js';
import { stringMatch } from '../util/parse.js';
import { E } from '../errors.js';

function denied(c: Client, name: string, allowInMulti: boolean): boolean {
  if (c.has(CF.DENY_BLOCKING) && !(allowInMulti && c.has(CF.MULTI))) {
    c.reply.error(E.denyBlocking(name));
    return true;
  }
  return false;
}

export function subscribeCommand(c: Client, argv: Buffer[]): void {
  if (denied(c, 'SUBSCRIBE', true)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j]);
  c.flags |= CF.PUBSUB;
}

export function unsubscribeCommand(c: Client, argv: Buffer[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAllChannels(c, true);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j].latin1Slice(0, argv[j].length), true);
  ps.updateFlag(c);
}

export function psubscribeCommand(c: Client, argv: Buffer[]): void {
  if (denied(c, 'PSUBSCRIBE', true)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.psubscribe(c, argv[j]);
  c.flags |= CF.PUBSUB;
}

export function punsubscribeCommand(c: Client, argv: Buffer[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAllPatterns(c, true);
  else for (let j = 1; j < argv.length; j++) ps.punsubscribe(c, argv[j].latin1Slice(0, argv[j].length), true);
  ps.updateFlag(c);
}

export function ssubscribeCommand(c: Client, argv: Buffer[]): void {
  if (denied(c, 'SSUBSCRIBE', false)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], true);
  c.flags |= CF.PUBSUB;
}

export function sunsubscribeCommand(c: Client, argv: Buffer[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAllChannels(c, true, true);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j].latin1Slice(0, argv[j].length), true, true);
  ps.updateFlag(c);
}

export function publishCommand(c: Client, argv: Buffer[]): void {
  c.reply.int(c.server.pubsub.publish(argv[1], argv[2]));
  // replicas receive every message (not the AOF)
  forcePropagation(c, PROPAGATE_REPL);
}

export function spublishCommand(c: Client, argv: Buffer[]): void {
  c.reply.int(c.server.pubsub.publishShard(argv[1], argv[2]));
  forcePropagation(c, PROPAGATE_REPL);
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** addReplyHelp */
export function replyHelp(c: Client, argv0: Buffer, lines: string[]): void {
  c.reply.arrayLen(lines.length + 3);
  c.reply.simple(`${argv0.latin1Slice(0, argv0.length).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

function channelList(c: Client, argv: Buffer[], table: Map<string, Set<Client>>): void {
  if (argv.length > 3) {
    c.reply.errorSafe(
      E.unknownSubcommandOrArity(argv[1].latin1Slice(0, Math.min(argv[1].length, 128)), argv[0].latin1Slice(0, argv[0].length).toUpperCase()),
    );
    return;
  }
  const pat = argv.length > 2 ? argv[2] : null;
  const out: string[] = [];
  for (const ch of table.keys()) {
    if (pat === null || stringMatch(pat, Buffer.from(ch, 'latin1'))) out.push(ch);
  }
  c.reply.arrayLen(out.length);
  for (const ch of out) c.reply.bulkStr(ch);
}

function numsub(c: Client, argv: Buffer[], table: Map<string, Set<Client>>): void {
  c.reply.arrayLen((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.reply.bulk(argv[j]);
    c.reply.int(table.get(argv[j].latin1Slice(0, argv[j].length))?.size ?? 0);
  }
}

export const handlers: Record<string, Handler> = {
  subscribe: subscribeCommand,
  unsubscribe: unsubscribeCommand,
  psubscribe: psubscribeCommand,
  punsubscribe: punsubscribeCommand,
  ssubscribe: ssubscribeCommand,
  sunsubscribe: sunsubscribeCommand,
  publish: publishCommand,
  spublish: spublishCommand,
  'pubsub|help': (c, argv) => replyHelp(c, argv[0], PUBSUB_HELP),
  'pubsub|channels': (c, argv) => channelList(c, argv, c.server.pubsub.channels),
  'pubsub|shardchannels': (c, argv) => channelList(c, argv, c.server.pubsub.shardChannels),
  'pubsub|numsub': (c, argv) => numsub(c, argv, c.server.pubsub.channels),
  'pubsub|shardnumsub': (c, argv) => numsub(c, argv, c.server.pubsub.shardChannels),
  'pubsub|numpat': c => c.reply.int(c.server.pubsub.numPatterns()),
};
