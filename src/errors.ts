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
  LOADING: 'LOADING Redis is loading the dataset in memory',
  BUSY_SCRIPT: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  BUSY_FUNCTION: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  SAME_OBJECT: 'ERR source and destination objects are the same',
  INVALID_DB: 'ERR DB index is out of range',
  INCR_OVERFLOW: 'ERR increment or decrement would overflow',
  INCRFLOAT_NAN: 'ERR increment would produce NaN or Infinity',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',
  TIMEOUT_NOT_FLOAT: 'ERR timeout is not a float or out of range',
  TIMEOUT_NOT_INTEGER: 'ERR timeout is not an integer or out of range',
  INVALID_EXPIRE: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  MAX_STRING: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  /** An ERR error around a message that comes from elsewhere (the Lua engine, a script's rejected redis.call). */
  err: (message: string) => `ERR ${message}`,

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
  execAbort: (why: string) => `EXECABORT Transaction discarded because of: ${why}`,
  notAllowedInMulti: (name: string) => `ERR Command not allowed inside a transaction`,
  subscribeContext: (name: string) =>
    `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,

  // connection accept (networking.c acceptCommonHandler, clientAcceptHandler)
  MAX_CLIENTS: 'ERR max number of clients reached',
  PROTECTED_MODE:
    'DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
    'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
    "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
    "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
    '3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. ' +
    '4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.',

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
  DEBUG_RESP2: 'ERR RESP2 is not supported by this command',
  DEBUG_PROTOCOL_TYPE: 'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
  DEBUG_NOT_SDS: 'ERR Not an sds encoded string.',
  DEBUG_DB_RANGE: 'ERR Out of range database',
  DEBUG_NOT_HASHTABLE: 'ERR The value stored at the specified key is not represented using an hash table',
  DEBUG_RELOAD_OPTIONS: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
  DEBUG_MEMORY_VALUE: 'ERR argument must be a memory value bigger than 1 and smaller than 4gb',
  DEBUG_NOT_LISTPACK: 'ERR Not a listpack encoded object.',
  DEBUG_NOT_QUICKLIST: 'ERR Not a quicklist encoded object.',

  // argument parsing (object.c get*FromObjectOrReply, timeout.c, server.c)
  valueOutOfRangeBetween: (min: number, max: number) => `ERR value is out of range, value must between ${min} and ${max}`,
  VALUE_OUT_OF_RANGE_LLONG: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  COUNT_MUST_BE_POSITIVE: 'ERR COUNT must be > 0',
  NUMKEYS_GT_ARGS: "ERR Number of keys can't be greater than number of args",
  internalError: (message: string) => `ERR internal error: ${message}`,
  unknownSubcommandOrArity: (sub: string, container: string) => `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${container} HELP.`,
  denyBlocking: (name: string) => `ERR ${name} isn't allowed for a DENY BLOCKING client`,


  // strings / bitmaps / hyperloglog (t_string.c, bitops.c, hyperloglog.c)
  DECR_OVERFLOW: 'ERR decrement would overflow',
  LCS_NOT_STRINGS: 'ERR The specified keys must contain string values',
  LCS_LEN_AND_IDX: 'ERR If you want both the length and indexes, please just use IDX.',
  LCS_TOO_BIG: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  BITOP_NOT_ONE_KEY: 'ERR BITOP NOT must be called with a single source key.',
  BITPOS_BIT: 'ERR The bit argument must be 1 or 0.',
  BITFIELD_TYPE: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  BITFIELD_OVERFLOW: 'ERR Invalid OVERFLOW type specified',
  BITFIELD_RO_GET_ONLY: 'ERR BITFIELD_RO only supports the GET subcommand',
  PFDEBUG_NO_KEY: 'ERR The specified key does not exist',
  pfdebugArity: (sub: string) => `ERR Wrong number of arguments for the '${sub}' subcommand`,
  HLL_NOT_SPARSE: 'ERR HLL encoding is not sparse',
  pfdebugUnknown: (sub: string) => `ERR Unknown PFDEBUG subcommand '${sub}'`,
  hllSelftestRegister: (i: number, expected: number, actual: number) => `TESTFAILED Register ${i} should be ${expected} but is ${actual}`,
  HLL_SELFTEST_NOT_SPARSE: 'TESTFAILED sparse encoding not used',
  HLL_SELFTEST_DISAGREE: 'TESTFAILED dense/sparse disagree',
  hllSelftestTooBigError: (card: number, abserr: number) => `TESTFAILED Too big error. card:${card} abserr:${abserr}`,

  // keyspace (db.c, object.c, expire.c)
  unsupportedOption: (option: string) => `ERR Unsupported option ${option}`,
  OBJECT_IDLETIME_LFU: 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  OBJECT_FREQ_NOT_LFU: 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',

  // hashes (t_hash.c)
  HASH_NOT_INTEGER: 'ERR hash value is not an integer',
  NAN_OR_INFINITY: 'ERR value is NaN or Infinity',
  HASH_NOT_FLOAT: 'ERR hash value is not a float',

  // lists (t_list.c)
  LPOS_RANK_ZERO: "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  LPOS_COUNT_NEGATIVE: "ERR COUNT can't be negative",
  LPOS_MAXLEN_NEGATIVE: "ERR MAXLEN can't be negative",

  // geo (geo.c)
  GEO_UNIT: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  geoInvalidPair: (lon: string, lat: string) => `ERR invalid longitude,latitude pair ${lon},${lat}`,
  GEO_RADIUS_NOT_NUMERIC: 'ERR need numeric radius',
  GEO_RADIUS_NEGATIVE: 'ERR radius cannot be negative',
  GEO_WIDTH_NOT_NUMERIC: 'ERR need numeric width',
  GEO_HEIGHT_NOT_NUMERIC: 'ERR need numeric height',
  GEO_BOX_NEGATIVE: 'ERR height or width cannot be negative',
  GEO_DECODE_MEMBER: 'ERR could not decode requested zset member',
  geoStoreWithOptions: (what: string) => `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
  geoFromOnce: (cmd: string) => `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cmd}`,
  geoByOnce: (cmd: string) => `ERR exactly one of BYRADIUS and BYBOX can be specified for ${cmd}`,
  GEO_ANY_WITHOUT_COUNT: 'ERR the ANY argument requires COUNT argument',

  // streams (t_stream.c)
  STREAM_INVALID_ID: 'ERR Invalid stream ID specified as stream command argument',
  STREAM_INVALID_START_ID: 'ERR invalid start ID for the interval',
  STREAM_INVALID_END_ID: 'ERR invalid end ID for the interval',
  noGroupKeyOrGroup: (key: string, group: string, suffix: string) => `NOGROUP No such key '${key}' or consumer group '${group}'${suffix}`,
  noSuchGroupForKey: (group: string, key: string) => `NOGROUP No such consumer group '${group}' for key name '${key}'`,
  XADD_MAXLEN_AND_MINID: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  XADD_MAXLEN_NEGATIVE: 'ERR The MAXLEN argument must be >= 0.',
  XADD_LIMIT_NEGATIVE: 'ERR The LIMIT argument must be >= 0.',
  XADD_LIMIT_WITHOUT_STRATEGY: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  XTRIM_WITHOUT_STRATEGY: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  XADD_LIMIT_WITHOUT_APPROX: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  XADD_ID_ZERO: 'ERR The ID specified in XADD must be greater than 0-0',
  XADD_ID_EXHAUSTED: 'ERR The stream has exhausted the last possible ID, unable to add more items',
  XADD_ID_TOO_SMALL: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  XADD_TOO_LARGE: 'ERR Elements are too large to be stored',
  XSETID_ENTRIES_ADDED_NEGATIVE: 'ERR entries_added must be positive',
  XSETID_ID_BELOW_MAX_DELETED: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
  XSETID_ID_TOO_SMALL: 'ERR The ID specified in XSETID is smaller than the target stream top item',
  XSETID_ENTRIES_ADDED_TOO_SMALL: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
  XGROUP_ENTRIESREAD: 'ERR value for ENTRIESREAD must be positive or -1',
  XGROUP_NO_KEY: 'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  BUSYGROUP: 'BUSYGROUP Consumer Group name already exists',
  XCLAIM_MIN_IDLE: 'ERR Invalid min-idle-time argument for XCLAIM',
  XCLAIM_IDLE: 'ERR Invalid IDLE option argument for XCLAIM',
  XCLAIM_TIME: 'ERR Invalid TIME option argument for XCLAIM',
  XCLAIM_RETRYCOUNT: 'ERR Invalid RETRYCOUNT option argument for XCLAIM',
  xclaimUnknownOption: (option: string) => `ERR Unrecognized XCLAIM option '${option}'`,
  XAUTOCLAIM_MIN_IDLE: 'ERR Invalid min-idle-time argument for XAUTOCLAIM',
  XAUTOCLAIM_COUNT_TOO_HIGH: 'ERR Insufficient memory, failed allocating transient memory, COUNT too high.',
  blockFromScript: (cmd: string) => `ERR ${cmd} command is not allowed with BLOCK option from scripts`,
  XREAD_UNBALANCED: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  XREAD_GROUP: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  XREAD_NOACK: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  XREADGROUP_NO_GROUP: 'ERR Missing GROUP option for XREADGROUP',
  XREADGROUP_DOLLAR_ID: 'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  XREAD_GT_ID: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  UNBLOCKED_KEY_GONE: 'UNBLOCKED the stream key no longer exists',
  NOGROUP_BLOCKED_GROUP_GONE: 'NOGROUP the consumer group this client was blocked on no longer exists',

  // connection / client (networking.c, tracking.c)
  helloSyntax: (option: string) => `ERR Syntax error in HELLO option '${option}'`,
  HELLO_NOAUTH: 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  unknownClientType: (type: string) => `ERR Unknown client type '${type}'`,
  CLIENT_INVALID_ID: 'ERR Invalid client ID',
  CLIENT_ID_GT0: 'ERR client-id should be greater than 0',
  noSuchUser: (user: string) => `ERR No such user '${user}'`,
  NO_SUCH_CLIENT: 'ERR No such client',
  CLIENT_UNBLOCK_REASON: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  UNBLOCKED_BY_CLIENT: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
  UNBLOCKED_ROLE_CHANGE: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
  CLIENT_PAUSE_MODE: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  TRACKING_ONE_REDIRECT: 'ERR A client can only redirect to a single other client',
  TRACKING_REDIRECT_MISSING: 'ERR The client ID you want redirect to does not exist',
  TRACKING_PREFIX_WITHOUT_BCAST: 'ERR PREFIX option requires BCAST mode to be enabled',
  TRACKING_SWITCH_BCAST: "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  TRACKING_OPTIN_BCAST: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
  TRACKING_OPTIN_AND_OPTOUT: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  TRACKING_SWITCH_OPTIN: "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  trackingPrefixOverlapsExisting: (prefix: string, existing: string) => `ERR Prefix '${prefix}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`,
  trackingPrefixOverlapsProvided: (prefix: string, other: string) => `ERR Prefix '${prefix}' overlaps with another provided prefix '${other}'. Prefixes for a single client must not overlap.`,
  CACHING_NOT_OPT: 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  CACHING_YES_NOT_OPTIN: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
  CACHING_NO_NOT_OPTOUT: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',

  // server / replication / cluster / ACL (server.c, replication.c, cluster.c, acl.c, module.c)
  CONFIG_NO_FILE: 'ERR The server is running without a config file',
  SWAPDB_FIRST: 'ERR invalid first DB index',
  SWAPDB_SECOND: 'ERR invalid second DB index',
  NO_SHUTDOWN: 'ERR No shutdown in progress.',
  SHUTDOWN_DENY_BLOCKING: "ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client",
  MONITOR_DENY_BLOCKING: "ERR MONITOR isn't allowed for DENY BLOCKING client",
  REPLICA_CLIENT: 'ERR Command is not valid when client is a replica.',
  INVALID_MASTER_PORT: 'ERR Invalid master port',
  CLUSTER_DISABLED: 'ERR This instance has cluster support disabled',
  NO_FAILOVER: 'ERR No failover in progress.',
  FAILOVER_TIMEOUT: 'ERR FAILOVER timeout must be greater than 0',
  FAILOVER_NO_REPLICAS: 'ERR FAILOVER requires connected replicas.',
  MODULE_DISABLED: 'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  ACL_NO_FILE: 'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
  aclUnknownCategory: (category: string) => `ERR Unknown category '${category}'`,
  ACL_GENPASS_BITS: 'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
  ACL_DELETE_DEFAULT: "ERR The 'default' user cannot be removed",
  aclUserNotFound: (user: string) => `ERR User '${user}' not found`,
  aclCommandNotFound: (cmd: string) => `ERR Command '${cmd}' not found`,

  // introspection (server.c COMMAND, latency.c)
  COMMAND_INVALID: 'ERR Invalid command specified',
  COMMAND_NO_KEYS: 'ERR The command has no key arguments',
  COMMAND_BAD_ARITY: 'ERR Invalid number of arguments specified for command',
  COMMAND_BAD_ARGS: 'ERR Invalid arguments specified for command',
  COUNT_GE_MINUS1: 'ERR count should be greater than or equal to -1',
  latencyNoSamples: (event: string) => `ERR No samples available for event '${event}'`,


  // scripting: EVAL / SCRIPT (eval.c, script.c, script_lua.c)
  NUMKEYS_NEGATIVE: "ERR Number of keys can't be negative",
  SCRIPT_FLUSH_OPTION: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
  SCRIPT_DEBUG_USAGE: 'ERR Use SCRIPT DEBUG YES/SYNC/NO',
  scriptCompile: (message: string) => `ERR Error compiling script (new function): ${message}`,
  SCRIPT_WRITE_FROM_RO: 'ERR Can not execute a script with write flag using *_ro command.',
  SCRIPT_OOM: "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
  NOT_ALLOWED_FROM_SCRIPT: 'ERR This Redis command is not allowed from script',
  scriptRunError: (message: string) => `ERR Error running script: ${message}`,
  scriptRunErrorObject: (name: string, message: string) => `ERR Error running script ${name}, ${message}`,
  NOTBUSY: 'NOTBUSY No scripts in execution right now.',
  UNKILLABLE: 'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
  SHEBANG_INVALID: 'ERR Invalid script shebang',
  SHEBANG_INVALID_ENGINE: 'ERR Invalid engine in script shebang',
  shebangUnexpectedEngine: (engine: string) => `ERR Unexpected engine in script shebang: ${engine}`,
  shebangUnknownOption: (option: string) => `ERR Unknown lua shebang option: ${option}`,
  shebangUnexpectedFlag: (flag: string) => `ERR Unexpected flag in script shebang: ${flag}`,

  // scripting: FUNCTION (functions.c, function_lua.c)
  FUNCTION_NOT_FOUND: 'ERR Function not found',
  FUNCTION_BAD_NUMKEYS: 'ERR Bad number of keys provided',
  functionUnknownOption: (option: string) => `ERR Unknown option given: ${option}`,
  LIBRARY_NOT_FOUND: 'ERR Library not found',
  FUNCTION_FLUSH_OPTION: 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option',
  FUNCTION_LIST_NO_LIBRARY_NAME: 'ERR library name argument was not given',
  functionUnknownArgument: (arg: string) => `ERR Unknown argument ${arg}`,
  FUNCTION_RESTORE_POLICY: 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
  DUMP_PAYLOAD: 'ERR DUMP payload version or checksum are wrong',
  FUNCTION_RESTORE_TYPE: 'ERR can not read data type',
  FUNCTION_RESTORE_NOT_FUNCTION: 'ERR given type is not a function',
  FUNCTION_LOAD_PAYLOAD: 'ERR Failed loading library payload',
  FUNCTION_LOAD_NAME: 'ERR Failed loading library name',
  FUNCTION_LOAD_ENGINE: 'ERR Failed loading engine name',
  FUNCTION_LOAD_DESC_INDICATOR: 'ERR Failed loading library description indicator',
  FUNCTION_LOAD_DESC: 'ERR Failed loading library description',
  FUNCTION_LOAD_BLOB: 'ERR Failed loading library blob',
  libraryJoinExists: (name: string) => `ERR Library ${name} already exists`,
  functionExists: (name: string) => `ERR Function ${name} already exists`,
  engineNotFound: (engine: string) => `ERR Engine '${engine}' not found`,
  libraryExists: (name: string) => `ERR Library '${name}' already exists`,
  registerFunctions: (message: string) => `ERR Error registering functions: ${message}`,
  NO_FUNCTIONS_REGISTERED: 'ERR No functions registered',
  LIBRARY_NO_METADATA: 'ERR Missing library metadata',
  LIBRARY_INVALID_METADATA: 'ERR Invalid library metadata',
  LIBRARY_NAME_TWICE: 'ERR Invalid metadata value, name argument was given multiple times',
  libraryInvalidMetadataValue: (value: string) => `ERR Invalid metadata value given: ${value}`,
  LIBRARY_NO_NAME: 'ERR Library name was not given',
  LIBRARY_NAME_INVALID:
    'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
  // --- config ---
  CONFIG_PORT_APPLY: 'Unable to listen on this port. Check server logs.',
  /** updateAppendonly: CONFIG SET appendonly yes when the AOF rewrite cannot start */
  CONFIG_AOF_APPLY: 'Unable to turn on AOF. Check server logs.',
  CONFIG_BIND_APPLY: 'Failed to bind to specified addresses.',
  debugRewriteFailed: (why: string) => `ERR CONFIG-REWRITE-FORCE-ALL failed: ${why}`,
  configRewriteFailed: (why: string) => `ERR Rewriting config file: ${why}`,

  // --- acl --- (acl.c, server.c processCommand, multi.c execCommand, script.c scriptVerifyACL, sort.c)
  aclSetUserModifier: (op: string, reason: string) => `ERR Error in ACL SETUSER modifier '${op}': ${reason}`,
  aclUnmatchedParenthesis: (arg: string) => `ERR Unmatched parenthesis in acl selector starting at '${arg}'.`,
  ACL_USERNAME_SPACES: "ERR Usernames can't contain spaces or null characters",
  ACL_SAVE_FAILED: 'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  aclLoadFailed: (errors: string) => `ERR ${errors}`,
  nopermCommand: (name: string) => `NOPERM this user has no permissions to run the '${name}' command`,
  NOPERM_KEY: 'NOPERM this user has no permissions to access one of the keys used as arguments',
  NOPERM_CHANNEL: 'NOPERM this user has no permissions to access one of the channels used as arguments',
  nopermExec: (reason: string) =>
    `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`,
  /** ACL DRYRUN's replies are bulk strings, not errors */
  dryrunCommand: (name: string) => `This user has no permissions to run the '${name}' command`,
  dryrunKey: (key: string) => `This user has no permissions to access the '${key}' key`,
  dryrunChannel: (channel: string) => `This user has no permissions to access the '${channel}' channel`,
  SORT_BY_DENIED: 'ERR BY option of SORT denied due to insufficient ACL permissions.',
  SORT_GET_DENIED: 'ERR GET option of SORT denied due to insufficient ACL permissions.',
  // --- aof ---
  AOF_REWRITE_IN_PROGRESS: 'ERR Background append only file rewriting already in progress',
  AOF_REWRITE_CANT_START: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  AOF_LOAD_FAILED: 'ERR Error loading the append only file (see the server log)',
  aofMisconf: (strerror: string) => `MISCONF Errors writing to the AOF file: ${strerror}`,
  // --- replication ---
  SYNC_PENDING_OUTPUT: 'ERR SYNC and PSYNC are invalid with pending output',
  replconfUnknown: (opt: string) => `ERR Unrecognized REPLCONF option: ${opt}`,
  NOMASTERLINK: "NOMASTERLINK Can't SYNC while not connected with my master",
  READONLY: "READONLY You can't write against a read only replica.",
  MASTERDOWN: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  // --- persistence (DUMP, RESTORE, MIGRATE) ---
  BUSYKEY: 'BUSYKEY Target key name already exists.',
  RESTORE_TTL: 'ERR Invalid TTL value, must be >= 0',
  RESTORE_IDLETIME: 'ERR Invalid IDLETIME value, must be >= 0',
  RESTORE_FREQ: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
  BAD_DATA_FORMAT: 'ERR Bad data format',
  MIGRATE_KEYS_EMPTY: 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
  MIGRATE_CONNECT: 'IOERR error or timeout connecting to the client',
  MIGRATE_IOERR_WRITING: 'IOERR error or timeout writing to target instance',
  MIGRATE_IOERR_READING: 'IOERR error or timeout reading to target instance',
  migrateTargetError: (err: string) => `ERR Target instance replied with error: ${err}`,
  MIGRATE_NOT_BLOCKING: 'ERR MIGRATE cannot run inside MULTI or a script in redlua: it waits for the target without blocking the server',
  // --- persistence (RDB files) ---
  BGSAVE_IN_PROGRESS: 'ERR Background save already in progress',
  /** shared.err: a failed SAVE or DEBUG RELOAD's save */
  GENERIC_ERR: 'ERR',
  MISCONF:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  MISCONF_SCRIPT:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.",
  DEBUG_RELOAD_LOAD: 'ERR Error trying to load the RDB dump',
  SHUTDOWN_ERRORS: 'ERR Errors trying to SHUTDOWN. Check logs.',
  // --- ldb ---
  SCRIPT_DEBUG_PIPELINE: 'ERR SCRIPT DEBUG must be called outside a pipeline',
  LDB_EVALSHA: 'ERR Please use EVAL instead of EVALSHA for debugging',
  LDB_NO_SOCKET: 'ERR the Lua debugger needs a socket connection',
} as const;

/** Error code of an error text as errorstats keys it (networking.c afterErrorReply): the first word within 32 bytes, else ERR. */
export function errorCode(text: string): string {
  const sp = text.indexOf(' ');
  return sp <= 0 || sp >= 31 ? 'ERR' : text.slice(0, sp);
}
