// Every error text redlua puts on the wire, with Redis 7.0.15's exact wording (Redis: server.c shared.* objects and addReplyError* call sites).
// Texts are stored without the leading '-' and without CRLF; the reply writer adds both.

export const E = {
  // generic (server.c createSharedObjects)
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  NOKEY: 'ERR no such key',
  SYNTAX: 'ERR syntax error',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  OUT_OF_RANGE_INDEX: 'ERR index out of range',
  NO_AUTH: 'NOAUTH Authentication required.',
  OOM: "OOM command not allowed when used memory > 'maxmemory'.",
  EXECABORT: 'EXECABORT Transaction discarded because of previous errors.',
  NOSCRIPT: 'NOSCRIPT No matching script. Please use EVAL.',
  BUSY_SCRIPT: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  BUSY_FUNCTION: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  READONLY_REPLICA: "READONLY You can't write against a read only replica.",
  SAME_OBJECT: 'ERR source and destination objects are the same',
  INVALID_DB: 'ERR DB index is out of range',
  SELECT_OUT_OF_RANGE: 'ERR DB index is out of range',
  INCR_OVERFLOW: 'ERR increment or decrement would overflow',
  INCRFLOAT_NAN: 'ERR increment would produce NaN or Infinity',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',
  TIMEOUT_NOT_FLOAT: 'ERR timeout is not a float or out of range',
  TIMEOUT_OUT_OF_RANGE: 'ERR timeout is out of range',
  INVALID_EXPIRE: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  MAX_STRING: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',

  // dispatcher (server.c processCommand)
  unknownCommand: (name: string, argsPreview: string) => `ERR unknown command '${name}', with args beginning with: ${argsPreview}`,
  unknownSubcommand: (sub: string, container: string) => `ERR unknown subcommand '${sub}'. Try ${container} HELP.`,
  wrongArity: (fullname: string) => `ERR wrong number of arguments for '${fullname}' command`,
  MULTI_NESTED: 'ERR MULTI calls can not be nested',
  EXEC_WITHOUT_MULTI: 'ERR EXEC without MULTI',
  DISCARD_WITHOUT_MULTI: 'ERR DISCARD without MULTI',
  WATCH_IN_MULTI: 'ERR WATCH inside MULTI is not allowed',
  notAllowedInMulti: (name: string) => `ERR Command not allowed inside a transaction`,
  subscribeContext: (name: string) =>
    `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,

  // protocol (networking.c)
  PROTO_TOO_BIG_INLINE: 'ERR Protocol error: too big inline request',
  PROTO_UNBALANCED_QUOTES: 'ERR Protocol error: unbalanced quotes in request',
  PROTO_TOO_BIG_MBULK: 'ERR Protocol error: too big mbulk count string',
  PROTO_INVALID_MBULK: 'ERR Protocol error: invalid multibulk length',
  PROTO_UNAUTH_MBULK: 'ERR Protocol error: unauthenticated multibulk length',
  PROTO_TOO_BIG_BULK: 'ERR Protocol error: too big bulk count string',
  protoExpectedDollar: (ch: string) => `ERR Protocol error: expected '$', got '${ch}'`,
  PROTO_INVALID_BULK: 'ERR Protocol error: invalid bulk length',
  PROTO_UNAUTH_BULK: 'ERR Protocol error: unauthenticated bulk length',

  // auth / hello (acl.c, networking.c)
  AUTH_WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  AUTH_NOPASS:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  HELLO_NOPROTO: 'NOPROTO unsupported protocol version',
  PROTO_VERSION_NOT_INT: 'ERR Protocol version is not an integer or out of range',
  CLIENT_NAME_SPACES: 'ERR Client names cannot contain spaces, newlines or special characters.',

  // config
  configUnknown: (name: string) => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`,
  configSetFailed: (name: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,

  // debug
  DEBUG_DISABLED:
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
} as const;

/** Error code of an error text as errorstats keys it (networking.c afterErrorReply): the first word within 32 bytes, else ERR. */
export function errorCode(text: string): string {
  const sp = text.indexOf(' ');
  return sp <= 0 || sp >= 31 ? 'ERR' : text.slice(0, sp);
}
