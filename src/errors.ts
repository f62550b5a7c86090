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

  // keyspace / strings / bitmaps / hyperloglog family (issue 4)
  SCAN_INVALID_CURSOR: 'ERR invalid cursor',
  HLL_WRONGTYPE: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  HLL_INVALIDOBJ: 'INVALIDOBJ Corrupted HLL object detected',
  BIT_OFFSET: 'ERR bit offset is not an integer or out of range',
  BIT_VALUE: 'ERR bit is not an integer or out of range',
  STRING_OFFSET_RANGE: 'ERR offset is out of range',
  NO_TTL_ERR: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  GT_LT_NX: 'ERR GT and LT options at the same time are not compatible',

  // dispatcher (server.c processCommand)
  unknownCommand: (name: string, argsPreview: string) => `ERR unknown command '${name}', with args beginning with: ${argsPreview}`,
  unknownSubcommand: (sub: string, container: string) => `ERR unknown subcommand '${sub}'. Try ${container} HELP.`,
  wrongArity: (fullname: string) => `ERR wrong number of arguments for '${fullname}' command`,
  // server core (dispatch.ts)
  NOREPLICAS: 'NOREPLICAS Not enough good replicas to write.',
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

  // sorted sets / geo / sort (zsets family: t_zset.c, geo.c, sort.c)
  ZSET_NAN: 'ERR resulting score is not a number (NaN)',
  ZADD_XX_NX: 'ERR XX and NX options at the same time are not compatible',
  ZADD_GT_LT_NX: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  ZADD_INCR_PAIR: 'ERR INCR option supports a single increment-element pair',
  ZMINMAX_NOT_FLOAT: 'ERR min or max is not a float',
  ZMINMAX_NOT_LEX: 'ERR min or max not valid string range item',
  ZRANGE_LIMIT_RANK: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  ZRANGE_WITHSCORES_LEX: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  ZWEIGHT_NOT_FLOAT: 'ERR weight value is not a float',
  zAtLeastOneKey: (cmd: string) => `ERR at least 1 input key is needed for '${cmd}' command`,
  LIMIT_NEGATIVE: "ERR LIMIT can't be negative",
  NUMKEYS_GT0: 'ERR numkeys should be greater than 0',
  COUNT_GT0: 'ERR count should be greater than 0',
  VALUE_OUT_OF_RANGE: 'ERR value is out of range',
  MUST_BE_POSITIVE: 'ERR value is out of range, must be positive',
  SORT_NOT_DOUBLE: "ERR One or more scores can't be converted into double",

  // debug
  DEBUG_DISABLED:
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
} as const;

/** Error code of an error text as errorstats keys it (networking.c afterErrorReply): the first word within 32 bytes, else ERR. */
export function errorCode(text: string): string {
  const sp = text.indexOf(' ');
  return sp <= 0 || sp >= 31 ? 'ERR' : text.slice(0, sp);
}
