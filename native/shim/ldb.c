/* ldb.c: the Lua debugger (LDB) of the shim, included by redlua.c: session state, line hook, REPL and its commands (Redis: eval.c ldb*, luaLdbLineHook, luaRedisBreakpointCommand, luaRedisDebugCommand). */

/* All of the debugger runs in C, as in Redis: the hook stops, sends the logs and reads the client's
 * commands through two host imports (the host does blocking I/O on the debugging client's socket),
 * so a session costs one JS crossing per message, never a JS frame between Lua and the hook. */

/* Sends bytes to the debugging client (blocking). */
RL_IMPORT(rl_host_ldb_write) void rl_host_ldb_write(int host_id, const char *p, uint32_t len);
/* Reads up to cap bytes from the debugging client (blocking); <= 0: connection closed. */
RL_IMPORT(rl_host_ldb_read) int rl_host_ldb_read(int host_id, char *p, uint32_t cap);

#define LDB_BREAKPOINTS_MAX 64
#define LDB_MAX_LEN_DEFAULT 256

typedef struct rl_ldb {
  int active;
  int bp[LDB_BREAKPOINTS_MAX];
  int bpcount;
  int step;                  /* stop at the next line */
  int luabp;                 /* redis.breakpoint() was called */
  char *srcbuf;              /* the script, its "\n" turned into NULs */
  char **src; int lines;
  int currentline;
  rl_buf cbuf;               /* client command buffer */
  rl_buf logs; int nlogs;    /* pending entries, each [u32 len][bytes] */
  size_t maxlen;
  int maxlen_hint_sent;
  double start, timelimit;   /* count-hook timeout: restarted after every stop */
} rl_ldb;

static int ldb_enabled(rl_vm *vm) { return vm->ldb && vm->ldb->active && vm->ldb->step; }

static void ldb_log_len(rl_ldb *d, const char *s, size_t n) {
  uint32_t n32 = (uint32_t)n;
  buf_add(&d->logs, &n32, 4);
  buf_add(&d->logs, s, n);
  d->nlogs++;
}
static void ldb_log(rl_ldb *d, const char *s) { ldb_log_len(d, s, strlen(s)); }
static void ldb_logf(rl_ldb *d, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
  ldb_log_len(d, tmp, (size_t)n);
}

/* ldbLogWithMaxLen: entries beyond maxlen are cut, with a one-time hint. */
static void ldb_log_maxlen(rl_ldb *d, rl_buf *e) {
  int trimmed = 0;
  if (d->maxlen && e->len > d->maxlen) {
    e->len = d->maxlen;
    buf_adds(e, " ...");
    trimmed = 1;
  }
  ldb_log_len(d, e->p ? e->p : "", e->len);
  if (trimmed && d->maxlen_hint_sent == 0) {
    d->maxlen_hint_sent = 1;
    ldb_log(d, "<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
  }
}

/* ldbSendLogs: one multibulk of status replies, CR/LF mapped to spaces. */
static void ldb_send_logs(rl_vm *vm) {
  rl_ldb *d = vm->ldb;
  rl_buf o = {0};
  char hdr[32];
  snprintf(hdr, sizeof hdr, "*%d\r\n", d->nlogs);
  buf_adds(&o, hdr);
  size_t off = 0;
  while (off < d->logs.len) {
    uint32_t n; memcpy(&n, d->logs.p + off, 4); off += 4;
    buf_add(&o, "+", 1);
    size_t at = o.len;
    buf_add(&o, d->logs.p + off, n);
    for (size_t i = at; i < o.len; i++) if (o.p[i] == '\r' || o.p[i] == '\n') o.p[i] = ' ';
    buf_add(&o, "\r\n", 2);
    off += n;
  }
  d->logs.len = 0; d->nlogs = 0;
  rl_host_ldb_write(vm->host_id, o.p, (uint32_t)o.len);
  buf_free(&o);
}

/* sdscatrepr */
static void cat_repr(rl_buf *b, const char *s, size_t n) {
  buf_add(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char t[8];
    switch (c) {
    case '\\': buf_adds(b, "\\\\"); break;
    case '"': buf_adds(b, "\\\""); break;
    case '\n': buf_adds(b, "\\n"); break;
    case '\r': buf_adds(b, "\\r"); break;
    case '\t': buf_adds(b, "\\t"); break;
    case '\a': buf_adds(b, "\\a"); break;
    case '\b': buf_adds(b, "\\b"); break;
    default:
      if (c >= 32 && c < 127) buf_add(b, &s[i], 1);
      else { snprintf(t, sizeof t, "\\x%02x", c); buf_adds(b, t); }
    }
  }
  buf_add(b, "\"", 1);
}

static const char *ldb_src_line(rl_ldb *d, int line) {
  int idx = line - 1;
  if (idx < 0 || idx >= d->lines) return "<out of range source code line>";
  return d->src[idx];
}
static int ldb_is_bp(rl_ldb *d, int line) {
  for (int j = 0; j < d->bpcount; j++) if (d->bp[j] == line) return 1;
  return 0;
}
static int ldb_add_bp(rl_ldb *d, int line) {
  if (line <= 0 || line > d->lines) return 0;
  if (!ldb_is_bp(d, line) && d->bpcount != LDB_BREAKPOINTS_MAX) { d->bp[d->bpcount++] = line; return 1; }
  return 0;
}
static int ldb_del_bp(rl_ldb *d, int line) {
  for (int j = 0; j < d->bpcount; j++) {
    if (d->bp[j] == line) {
      d->bpcount--;
      /* Redis moves bpcount-j BYTES (not ints); kept so the breakpoint list evolves identically. */
      memmove(d->bp + j, d->bp + j + 1, (size_t)(d->bpcount - j));
      return 1;
    }
  }
  return 0;
}

static void ldb_log_source_line(rl_ldb *d, int lnum) {
  int bp = ldb_is_bp(d, lnum), cur = d->currentline == lnum;
  const char *prefix = cur && bp ? "->#" : cur ? "-> " : bp ? "  #" : "   ";
  const char *line = ldb_src_line(d, lnum);
  rl_buf e = {0};
  char num[32];
  snprintf(num, sizeof num, "%s%-3d ", prefix, lnum);
  buf_adds(&e, num);
  buf_adds(&e, line);
  ldb_log_len(d, e.p, e.len);
  buf_free(&e);
}
static void ldb_list(rl_ldb *d, int around, int context) {
  for (int j = 1; j <= d->lines; j++) {
    if (around != 0 && abs(around - j) > context) continue;
    ldb_log_source_line(d, j);
  }
}

/* ldbCatStackValueRec */
#define LDB_MAX_VALUES_DEPTH (LUA_MINSTACK / 2)
static void ldb_cat_value(rl_buf *s, lua_State *L, int idx, int level) {
  int t = lua_type(L, idx);
  if (level++ == LDB_MAX_VALUES_DEPTH) { buf_adds(s, "<max recursion level reached! Nested table?>"); return; }
  switch (t) {
  case LUA_TSTRING: { size_t n; const char *p = lua_tolstring(L, idx, &n); cat_repr(s, p, n); break; }
  case LUA_TBOOLEAN: buf_adds(s, lua_toboolean(L, idx) ? "true" : "false"); break;
  case LUA_TNUMBER: { char t2[64]; snprintf(t2, sizeof t2, "%g", (double)lua_tonumber(L, idx)); buf_adds(s, t2); break; }
  case LUA_TNIL: buf_adds(s, "nil"); break;
  case LUA_TTABLE: {
    int expected = 1, is_array = 1;
    rl_buf r1 = {0}, r2 = {0};
    lua_pushnil(L);
    while (lua_next(L, idx - 1)) {
      if (is_array && (lua_type(L, -2) != LUA_TNUMBER || lua_tonumber(L, -2) != expected)) is_array = 0;
      ldb_cat_value(&r1, L, -1, level);
      buf_adds(&r1, "; ");
      buf_adds(&r2, "[");
      ldb_cat_value(&r2, L, -2, level);
      buf_adds(&r2, "]=");
      ldb_cat_value(&r2, L, -1, level);
      buf_adds(&r2, "; ");
      lua_pop(L, 1);
      expected++;
    }
    if (r1.len) r1.len -= 2;
    if (r2.len) r2.len -= 2;
    buf_adds(s, "{");
    rl_buf *w = is_array ? &r1 : &r2;
    buf_add(s, w->p ? w->p : "", w->len);
    buf_adds(s, "}");
    buf_free(&r1); buf_free(&r2);
    break;
  }
  case LUA_TFUNCTION: case LUA_TUSERDATA: case LUA_TTHREAD: case LUA_TLIGHTUSERDATA: {
    const char *tn = t == LUA_TFUNCTION ? "function" : t == LUA_TUSERDATA ? "userdata" : t == LUA_TTHREAD ? "thread" : "light-userdata";
    char t2[96];
    /* Redis prints %p of a 64-bit pointer (0x55d1...); linear-memory addresses are what we have. */
    snprintf(t2, sizeof t2, "\"%s@%p\"", tn, lua_topointer(L, idx));
    buf_adds(s, t2);
    break;
  }
  default: buf_adds(s, "\"<unknown-lua-type>\""); break;
  }
}
static void ldb_log_stack_value(rl_ldb *d, lua_State *L, const char *prefix) {
  rl_buf e = {0};
  buf_adds(&e, prefix);
  ldb_cat_value(&e, L, -1, 0);
  ldb_log_maxlen(d, &e);
  buf_free(&e);
}

/* ldbRedisProtocolToHuman: p at a RESP value in [p, end); returns the position after it. */
static const char *ldb_proto_human(rl_buf *o, const char *p, const char *end);
static const char *crlf_at(const char *p, const char *end) {
  const char *q = memchr(p, '\r', (size_t)(end - p));
  return q ? q : end;
}
static long long num_between(const char *a, const char *b) {
  char t[32]; size_t n = (size_t)(b - a); if (n > 31) n = 31;
  memcpy(t, a, n); t[n] = 0;
  return strtoll(t, NULL, 10);
}
static const char *ldb_proto_aggr(rl_buf *o, const char *reply, const char *end, const char *open, const char *close, int pairs) {
  const char *p = crlf_at(reply + 1, end);
  long long n = num_between(reply + 1, p);
  p += 2;
  if (reply[0] == '*' && n == -1) { buf_adds(o, "NULL"); return p; }
  buf_adds(o, open);
  for (long long j = 0; j < n && p < end; j++) {
    p = ldb_proto_human(o, p, end);
    if (pairs) { buf_adds(o, " => "); p = ldb_proto_human(o, p, end); }
    if (j != n - 1) buf_adds(o, ",");
  }
  buf_adds(o, close);
  return p;
}
static const char *ldb_proto_human(rl_buf *o, const char *reply, const char *end) {
  if (reply >= end) return end;
  const char *p = crlf_at(reply + 1, end);
  switch (*reply) {
  case ':': buf_add(o, reply + 1, (size_t)(p - reply - 1)); return p + 2;
  case '$': {
    long long n = num_between(reply + 1, p);
    if (n == -1) { buf_adds(o, "NULL"); return p + 2; }
    if (p + 2 + n > end) n = end - p - 2;
    cat_repr(o, p + 2, (size_t)n);
    return p + 2 + n + 2;
  }
  case '+': case '-': cat_repr(o, reply, (size_t)(p - reply)); return p + 2;
  case '*': return ldb_proto_aggr(o, reply, end, "[", "]", 0);
  case '~': return ldb_proto_aggr(o, reply, end, "~(", ")", 0);
  case '%': return ldb_proto_aggr(o, reply, end, "{", "}", 1);
  case '_': buf_adds(o, "(null)"); return p + 2;
  case '#': buf_adds(o, reply[1] == 't' ? "#true" : "#false"); return p + 2;
  case ',': buf_adds(o, "(double) "); buf_add(o, reply + 1, (size_t)(p - reply - 1)); return p + 2;
  default: return reply;
  }
}
static void ldb_log_redis_reply(rl_ldb *d, const char *reply, size_t len) {
  rl_buf e = {0};
  buf_adds(&e, "<reply> ");
  ldb_proto_human(&e, reply, reply + len);
  ldb_log_maxlen(d, &e);
  buf_free(&e);
}

/* The "<redis> cmd args" line of luaRedisGenericCommand. */
static void ldb_log_command(rl_vm *vm, int argc) {
  rl_buf e = {0};
  buf_adds(&e, "<redis>");
  for (int j = 0; j < argc; j++) {
    if (j == 10) {
      char t[48]; snprintf(t, sizeof t, " ... (%d more)", argc - j - 1);  /* sic: Redis counts one less */
      buf_adds(&e, t);
      break;
    }
    buf_add(&e, " ", 1);
    buf_add(&e, vm->argv[j].ptr, vm->argv[j].len);
  }
  ldb_log_len(vm->ldb, e.p, e.len);
  buf_free(&e);
}

static void ldb_print(rl_ldb *d, lua_State *L, const char *varname) {
  lua_Debug ar;
  int l = 0;
  while (lua_getstack(L, l, &ar) != 0) {
    l++;
    const char *name;
    int i = 1;
    while ((name = lua_getlocal(L, &ar, i)) != NULL) {
      i++;
      if (strcmp(varname, name) == 0) { ldb_log_stack_value(d, L, "<value> "); lua_pop(L, 1); return; }
      lua_pop(L, 1);
    }
  }
  if (!strcmp(varname, "ARGV") || !strcmp(varname, "KEYS")) {
    lua_getglobal(L, varname);
    ldb_log_stack_value(d, L, "<value> ");
    lua_pop(L, 1);
  } else {
    ldb_log(d, "No such variable.");
  }
}

static void ldb_print_all(rl_ldb *d, lua_State *L) {
  lua_Debug ar;
  int vars = 0;
  if (lua_getstack(L, 0, &ar) != 0) {
    const char *name;
    int i = 1;
    while ((name = lua_getlocal(L, &ar, i)) != NULL) {
      i++;
      if (!strstr(name, "(*temporary)")) {
        rl_buf pre = {0};
        buf_adds(&pre, "<value> "); buf_adds(&pre, name); buf_adds(&pre, " = "); buf_add(&pre, "", 1);
        ldb_log_stack_value(d, L, pre.p);
        buf_free(&pre);
        vars++;
      }
      lua_pop(L, 1);
    }
  }
  if (vars == 0) ldb_log(d, "No local variables in the current context.");
}

/* string2l: the strict integer syntax of util.c */
static int ldb_string2l(const char *s, size_t n, long *out) {
  if (n == 0 || n > 20) return 0;
  size_t i = 0; int neg = 0;
  if (s[0] == '-') { neg = 1; i = 1; if (n == 1) return 0; }
  if (n == 1 && s[0] == '0') { *out = 0; return 1; }
  if (s[i] < '1' || s[i] > '9') return 0;
  unsigned long long v = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    if (v > (ULLONG_MAX - (unsigned)(s[i] - '0')) / 10) return 0;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  if (neg) { if (v > (unsigned long long)LLONG_MAX + 1) return 0; *out = (long)(-(long long)v); }
  else { if (v > LLONG_MAX) return 0; *out = (long)v; }
  return 1;
}

static void ldb_break(rl_ldb *d, rl_arg *argv, int argc) {
  if (argc == 1) {
    if (d->bpcount == 0) { ldb_log(d, "No breakpoints set. Use 'b <line>' to add one."); return; }
    ldb_logf(d, "%d breakpoints set:", d->bpcount);
    for (int j = 0; j < d->bpcount; j++) ldb_log_source_line(d, d->bp[j]);
    return;
  }
  for (int j = 1; j < argc; j++) {
    long line;
    if (!ldb_string2l(argv[j].ptr, argv[j].len, &line)) {
      rl_buf e = {0};
      buf_adds(&e, "Invalid argument:'"); buf_adds(&e, argv[j].ptr); buf_adds(&e, "'");
      ldb_log_len(d, e.p, e.len);
      buf_free(&e);
    } else if (line == 0) {
      d->bpcount = 0;
      ldb_log(d, "All breakpoints removed.");
    } else if (line > 0) {
      if (d->bpcount == LDB_BREAKPOINTS_MAX) ldb_log(d, "Too many breakpoints set.");
      else if (ldb_add_bp(d, (int)line)) ldb_list(d, (int)line, 1);
      else ldb_log(d, "Wrong line number.");
    } else {
      if (ldb_del_bp(d, (int)-line)) ldb_log(d, "Breakpoint removed.");
      else ldb_log(d, "No breakpoint in the specified line.");
    }
  }
}

static void ldb_error_log(rl_ldb *d, lua_State *L) {
  rl_buf e = {0};
  buf_adds(&e, "<error> ");
  const char *m = lua_tostring(L, -1);
  buf_adds(&e, m ? m : "(null)");
  ldb_log_len(d, e.p, e.len);
  buf_free(&e);
}

static void ldb_eval(rl_ldb *d, lua_State *L, rl_arg *argv, int argc) {
  rl_buf code = {0}, expr = {0};
  for (int j = 1; j < argc; j++) { if (j > 1) buf_add(&code, " ", 1); buf_add(&code, argv[j].ptr, argv[j].len); }
  buf_adds(&expr, "return ");
  buf_add(&expr, code.p ? code.p : "", code.len);
  int failed = 0;
  if (luaL_loadbuffer(L, expr.p, expr.len, "@ldb_eval")) {
    lua_pop(L, 1);
    if (luaL_loadbuffer(L, code.p ? code.p : "", code.len, "@ldb_eval")) {
      ldb_error_log(d, L);
      lua_pop(L, 1);
      failed = 1;
    }
  }
  buf_free(&code); buf_free(&expr);
  if (failed) return;
  if (lua_pcall(L, 0, 1, 0)) { ldb_error_log(d, L); lua_pop(L, 1); return; }
  ldb_log_stack_value(d, L, "<retval> ");
  lua_pop(L, 1);
}

static void ldb_redis(rl_ldb *d, lua_State *L, rl_arg *argv, int argc) {
  if (!lua_checkstack(L, argc + 1)) {
    const char *m = "max lua stack reached";
    ldb_log_redis_reply(d, m, strlen(m));
    return;
  }
  lua_getglobal(L, "redis");
  lua_pushstring(L, "call");
  lua_gettable(L, -2);
  for (int j = 1; j < argc; j++) lua_pushlstring(L, argv[j].ptr, argv[j].len);
  d->step = 1;               /* makes redis.call log the command and its reply */
  lua_pcall(L, argc - 1, 1, 0);
  d->step = 0;
  lua_pop(L, 2);
}

static void ldb_trace(rl_ldb *d, lua_State *L) {
  lua_Debug ar;
  int level = 0;
  while (lua_getstack(L, level, &ar)) {
    lua_getinfo(L, "Snl", &ar);
    if (strstr(ar.short_src, "user_script") != NULL) {
      ldb_logf(d, "%s %s:", level == 0 ? "In" : "From", ar.name ? ar.name : "top level");
      ldb_log_source_line(d, ar.currentline);
    }
    level++;
  }
  if (level == 0) ldb_log(d, "<error> Can't retrieve Lua stack.");
}

static void ldb_maxlen(rl_ldb *d, rl_arg *argv, int argc) {
  if (argc == 2) {
    int v = atoi(argv[1].ptr);
    d->maxlen_hint_sent = 1;
    if (v != 0 && v <= 60) v = 60;
    d->maxlen = (size_t)v;
  }
  if (d->maxlen) ldb_logf(d, "<value> replies are truncated at %d bytes.", (int)d->maxlen);
  else ldb_log(d, "<value> replies are unlimited.");
}

/* strstr(p, "\r\n") on Redis's NUL-terminated copy: the search stops at a NUL byte. */
static const char *ldb_find_crlf(const char *p, const char *end) {
  for (; p + 1 < end && *p; p++) if (p[0] == '\r' && p[1] == '\n') return p;
  return NULL;
}

/* ldbReplParseCommand: 1 parsed (argv NUL-terminated copies in *store), 0 need more, -1 protocol error. */
static int ldb_parse(rl_ldb *d, rl_buf *store, rl_arg **argvp, int *argcp) {
  if (d->cbuf.len == 0) return 0;
  size_t n = d->cbuf.len;
  const char *b = d->cbuf.p, *end = b + n;
  const char *p = b;
  while (p < end && *p && *p != '*') p++;   /* strchr(p, '*') */
  if (p >= end || *p != '*') return -1;
  const char *plen = p + 1;
  const char *q = ldb_find_crlf(p, end);
  if (!q) return 0;
  int argc = (int)num_between(plen, q);
  if (argc <= 0 || argc > 1024) return -1;
  p = q + 2;
  size_t *offs = malloc(sizeof(size_t) * 2 * (size_t)argc);
  store->len = 0;
  int got = 0, rc = 1;
  while (got < argc) {
    if (p >= end || *p == '\0') { rc = 0; break; }
    if (*p != '$') { rc = -1; break; }
    plen = p + 1;
    q = ldb_find_crlf(p, end);
    if (!q) { rc = 0; break; }
    int slen = (int)num_between(plen, q);
    p = q + 2;
    if (slen <= 0 || slen > 1024) { rc = -1; break; }
    if (p + slen + 2 > end) { rc = 0; break; }
    offs[2 * got] = store->len; offs[2 * got + 1] = (size_t)slen;
    buf_add(store, p, (size_t)slen);
    buf_add(store, "", 1);
    got++;
    p += slen;
    if (p[0] != '\r' || p[1] != '\n') { rc = -1; break; }
    p += 2;
  }
  if (rc == 1) {
    rl_arg *argv = malloc(sizeof(rl_arg) * (size_t)argc);
    for (int j = 0; j < argc; j++) { argv[j].ptr = store->p + offs[2 * j]; argv[j].len = (uint32_t)offs[2 * j + 1]; }
    *argvp = argv; *argcp = argc;
  }
  free(offs);
  return rc;
}

static int is_cmd(const rl_arg *a, const char *s1, const char *s2) {
  return !strcasecmp(a->ptr, s1) || (s2 && !strcasecmp(a->ptr, s2));
}

static const char *const ldb_help[] = {
  "Redis Lua debugger help:",
  "[h]elp               Show this help.",
  "[s]tep               Run current line and stop again.",
  "[n]ext               Alias for step.",
  "[c]ontinue           Run till next breakpoint.",
  "[l]ist               List source code around current line.",
  "[l]ist [line]        List source code around [line].",
  "                     line = 0 means: current position.",
  "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
  "                     to show before/after [line].",
  "[w]hole              List all source code. Alias for 'list 1 1000000'.",
  "[p]rint              Show all the local variables.",
  "[p]rint <var>        Show the value of the specified variable.",
  "                     Can also show global vars KEYS and ARGV.",
  "[b]reak              Show all breakpoints.",
  "[b]reak <line>       Add a breakpoint to the specified line.",
  "[b]reak -<line>      Remove breakpoint from the specified line.",
  "[b]reak 0            Remove all breakpoints.",
  "[t]race              Show a backtrace.",
  "[e]val <code>        Execute some Lua code (in a different callframe).",
  "[r]edis <cmd>        Execute a Redis command.",
  "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
  "                     Specifying zero as <len> means unlimited.",
  "[a]bort              Stop the execution of the script. In sync",
  "                     mode dataset changes will be retained.",
  "",
  "Debugger functions you can call from Lua scripts:",
  "redis.debug()        Produce logs in the debugger console.",
  "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
  "                     next line of code.",
  NULL};

/* ldbRepl: 0 continue the script, -1 the client went away. Raises Lua errors for abort/protocol errors. */
static int ldb_repl(rl_vm *vm, lua_State *L) {
  rl_ldb *d = vm->ldb;
  rl_buf store = {0};
  for (;;) {
    rl_arg *argv = NULL; int argc = 0, pr;
    while ((pr = ldb_parse(d, &store, &argv, &argc)) != 1) {
      if (pr < 0) { buf_free(&store); push_error(L, "protocol error"); lua_error(L); }
      char tmp[1024];
      int nread = rl_host_ldb_read(vm->host_id, tmp, sizeof tmp);
      if (nread <= 0) {
        d->step = 0; d->bpcount = 0;
        buf_free(&store);
        return -1;
      }
      buf_add(&d->cbuf, tmp, (size_t)nread);
      if (d->cbuf.len > (1u << 20)) {
        buf_free(&d->cbuf); buf_free(&store);
        push_error(L, "max client buffer reached");
        lua_error(L);
      }
    }
    d->cbuf.len = 0;
    int resume = 0;
    rl_arg *a0 = &argv[0];
    if (is_cmd(a0, "h", "help")) {
      for (int j = 0; ldb_help[j]; j++) ldb_log(d, ldb_help[j]);
      ldb_send_logs(vm);
    } else if (is_cmd(a0, "s", "step") || is_cmd(a0, "n", "next")) {
      d->step = 1; resume = 1;
    } else if (is_cmd(a0, "c", "continue")) {
      resume = 1;
    } else if (is_cmd(a0, "t", "trace")) {
      ldb_trace(d, L); ldb_send_logs(vm);
    } else if (is_cmd(a0, "m", "maxlen")) {
      ldb_maxlen(d, argv, argc); ldb_send_logs(vm);
    } else if (is_cmd(a0, "b", "break")) {
      ldb_break(d, argv, argc); ldb_send_logs(vm);
    } else if (is_cmd(a0, "e", "eval")) {
      ldb_eval(d, L, argv, argc); ldb_send_logs(vm);
    } else if (is_cmd(a0, "a", "abort")) {
      free(argv); buf_free(&store);
      push_error(L, "script aborted for user request");
      lua_error(L);
    } else if (argc > 1 && is_cmd(a0, "r", "redis")) {
      ldb_redis(d, L, argv, argc); ldb_send_logs(vm);
    } else if (is_cmd(a0, "p", "print")) {
      if (argc == 2) ldb_print(d, L, argv[1].ptr); else ldb_print_all(d, L);
      ldb_send_logs(vm);
    } else if (is_cmd(a0, "l", "list")) {
      int around = d->currentline, ctx = 5;
      if (argc > 1) { int num = atoi(argv[1].ptr); if (num > 0) around = num; }
      if (argc > 2) ctx = atoi(argv[2].ptr);
      ldb_list(d, around, ctx); ldb_send_logs(vm);
    } else if (is_cmd(a0, "w", "whole")) {
      ldb_list(d, 1, 1000000); ldb_send_logs(vm);
    } else {
      ldb_log(d, "<error> Unknown Redis Lua debugger command or wrong number of arguments.");
      ldb_send_logs(vm);
    }
    free(argv);
    if (resume) break;
  }
  buf_free(&store);
  return 0;
}

/* luaLdbLineHook */
static void ldb_hook(lua_State *L, lua_Debug *ar) {
  rl_vm *vm = vm_of(L);
  rl_ldb *d = vm->ldb;
  lua_getstack(L, 0, ar);
  lua_getinfo(L, "Sl", ar);
  d->currentline = ar->currentline;
  int bp = ldb_is_bp(d, d->currentline) || d->luabp;
  int timeout = 0;
  if (strstr(ar->short_src, "user_script") == NULL) return;
  if (ar->event == LUA_HOOKCOUNT && d->step == 0 && bp == 0) {
    if (rl_host_now() - d->start >= d->timelimit) { timeout = 1; d->step = 1; }
    else return;
  }
  if (d->step || bp) {
    const char *reason = "step over";
    if (bp) reason = d->luabp ? "redis.breakpoint() called" : "break point";
    else if (timeout) reason = "timeout reached, infinite loop?";
    d->step = 0; d->luabp = 0;
    ldb_logf(d, "* Stopped at %d, stop reason = %s", d->currentline, reason);
    ldb_log_source_line(d, d->currentline);
    ldb_send_logs(vm);
    if (ldb_repl(vm, L) < 0 && timeout) {
      push_error(L, "timeout during Lua debugging with client closing connection");
      lua_error(L);
    }
    d->start = rl_host_now();
  }
}

static int l_breakpoint(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (vm->ldb && vm->ldb->active) { vm->ldb->luabp = 1; lua_pushboolean(L, 1); }
  else lua_pushboolean(L, 0);
  return 1;
}

static int l_debug(lua_State *L) {
  rl_vm *vm = vm_of(L);
  rl_ldb *d = vm->ldb;
  if (!d || !d->active) return 0;
  int argc = lua_gettop(L);
  rl_buf e = {0};
  char t[48]; snprintf(t, sizeof t, "<debug> line %d: ", d->currentline);
  buf_adds(&e, t);
  while (argc--) {
    ldb_cat_value(&e, L, -1 - argc, 0);
    if (argc != 0) buf_adds(&e, ", ");
  }
  ldb_log_len(d, e.p, e.len);
  buf_free(&e);
  return 0;
}

static void ldb_free(rl_vm *vm) {
  rl_ldb *d = vm->ldb;
  if (!d) return;
  free(d->srcbuf); free(d->src);
  buf_free(&d->cbuf); buf_free(&d->logs);
  free(d);
  vm->ldb = NULL;
}

/* ldbEnable + ldbStartSession: the next run of this VM is debugged. timelimit_ms: busy-reply-threshold or 5000. */
RL_EXPORT int rl_ldb_begin(rl_vm *vm, const char *src, uint32_t len, double timelimit_ms) {
  ldb_free(vm);
  rl_ldb *d = calloc(1, sizeof *d);
  if (!d) return -1;
  vm->ldb = d;
  d->step = 1;
  d->maxlen = LDB_MAX_LEN_DEFAULT;
  d->timelimit = timelimit_ms;
  while (len && (src[len - 1] == '\n' || src[len - 1] == '\r')) len--;
  d->srcbuf = malloc(len + 1);
  memcpy(d->srcbuf, src, len);
  d->srcbuf[len] = 0;
  int lines = 0;
  if (len) { lines = 1; for (uint32_t i = 0; i < len; i++) if (d->srcbuf[i] == '\n') lines++; }
  d->src = malloc(sizeof(char *) * (size_t)(lines + 1));
  d->lines = lines;
  if (lines) {
    int k = 0;
    d->src[k++] = d->srcbuf;
    for (uint32_t i = 0; i < len; i++) if (d->srcbuf[i] == '\n') { d->srcbuf[i] = 0; d->src[k++] = d->srcbuf + i + 1; }
  }
  d->active = 1;
  d->start = rl_host_now();
  return 0;
}

/* ldbEndSession: the remaining logs and the <endsession> mark; the host then sends the EVAL reply. */
RL_EXPORT void rl_ldb_end(rl_vm *vm) {
  if (!vm->ldb) return;
  ldb_log(vm->ldb, "<endsession>");
  ldb_send_logs(vm);
  ldb_free(vm);
}

/* luaPushErrorBuff's "<error> ..." line while stepping (Redis logs the text up to its first NUL). */
static void ldb_note_error(lua_State *L, const char *e, size_t elen) {
  rl_vm *vm = vm_of(L);
  if (!vm || !ldb_enabled(vm)) return;
  rl_buf b = {0};
  buf_adds(&b, "<error> ");
  buf_add(&b, e, strnlen(e, elen));
  ldb_log_len(vm->ldb, b.p, b.len);
  buf_free(&b);
}
