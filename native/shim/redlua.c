/* redlua.c: the whole C side of the engine: Redis's Lua sandbox, redis.* API, RESP<->Lua bridges, hooks (Redis: script_lua.c, eval.c, function_lua.c, resp_parser.c, rand.c, sha1.c). */
/*
 * Every exported symbol starts with rl_ and is listed in native/exports.txt.
 * Host (JS) imports are the five rl_host_* functions below; none of them ever
 * throws or longjmps: they return status codes and C raises Lua errors itself.
 *
 * Data exchange with the host happens in linear memory:
 *   - rl_iobuf(vm, n): scratch buffer the host fills with run inputs
 *     (sha / code / KEYS+ARGV as [u32 len][bytes] items).
 *   - rl_reply_alloc(vm, n): buffer the host fills with the RESP reply of a
 *     redis.call (or the rejection text) during rl_host_call.
 *   - rl_result(vm): a fixed struct describing the outcome of the last
 *     compile/run/load (status + pointers/lengths into C-owned buffers).
 *   - rl_vm_ctl(vm): {f64 deadline, i32 kill, i32 busy_calls, i32 repl_flags,
 *     i32 script_resp, u32 reply_ptr, reply_cap, io_ptr, io_cap} read/written
 *     by the host directly. The io and reply buffers are published there, so
 *     the host writes inputs and a redis.call reply that fit in place without
 *     calling rl_iobuf / rl_reply_alloc (rl_host_call's return value is the
 *     reply length either way).
 * A run interns no strings: the error handler, the reply converter and the
 * KEYS/ARGV names are registry refs taken at creation, and the functions of the
 * last scripts run are cached by sha (rl_fcache).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>
#include <strings.h>
#include <stdarg.h>
#include <limits.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "ldo.h"  /* luaD_throw: a memory error raised as Lua's allocator raises it */

#define RL_EXPORT __attribute__((used, visibility("default")))
#define RL_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* ------------------------------------------------------------------------------------------ */
/* Host imports                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct rl_arg { const char *ptr; uint32_t len; } rl_arg;

/* Runs a command. Returns >= 0: length of the RESP reply the host wrote into the buffer from
 * rl_reply_alloc; RL_CALL_REJECTED: the buffer holds a script-level rejection text
 * ("-CODE msg" or "msg"), converted like Redis's luaPushError + ignore_error_stats_update. */
RL_IMPORT(rl_host_call) int rl_host_call(int host_id, const rl_arg *argv, int argc, int resp, int is_pcall);
/* ACL check for redis.acl_check_cmd: 1 allowed, 0 denied, -1 unknown command. */
RL_IMPORT(rl_host_acl) int rl_host_acl(int host_id, const rl_arg *argv, int argc);
/* redis.log: the host filters by its own verbosity. */
RL_IMPORT(rl_host_log) void rl_host_log(int host_id, int level, const char *msg, uint32_t len);
/* Called by the count hook once past the deadline: 0 continue, 1 kill. */
RL_IMPORT(rl_host_busy) int rl_host_busy(int host_id);
/* Monotonic clock in milliseconds. */
RL_IMPORT(rl_host_now) double rl_host_now(void);

#define RL_CALL_REJECTED (-2)
/* rl_host_call: the reply did not fit and rl_reply_alloc failed (the engine's memory is exhausted) */
#define RL_CALL_NOMEM (-1)

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                      */
/* ------------------------------------------------------------------------------------------ */

enum { RL_EVAL = 0, RL_FUNC = 1 };
enum { RL_VM_FLAG_DEPRECATED_API = 1 };
enum {
  RL_OK = 0,          /* out = RESP reply (runs) / function list (loads) */
  RL_ERR_TABLE = 1,   /* err/source/line/ignore describe the script error table */
  RL_ERR_RAW = 2,     /* err = non-table error object (tostring), e.g. "not enough memory" */
  RL_ERR_COMPILE = 3, /* err = compile / load error text */
  RL_ERR_NOTFOUND = 4,/* no such script / function ref */
  RL_ERR_INTERNAL = 5 /* err = description */
};

typedef struct rl_ctl {      /* host-visible, layout fixed (see src/engine/index.ts) */
  double deadline;           /* 0: no busy check; else monotonic ms after which the hook calls rl_host_busy */
  int32_t kill;              /* host sets 1 to kill the running script */
  int32_t busy_calls;        /* how many times rl_host_busy was called in this run */
  int32_t repl_flags;        /* redis.set_repl value, reset to 3 (REPL_ALL) at run start */
  int32_t script_resp;       /* redis.setresp value of the current run */
  uint32_t reply_ptr, reply_cap; /* vm->reply: the host writes a redis.call reply that fits here without rl_reply_alloc */
  uint32_t io_ptr, io_cap;   /* vm->io: likewise for run inputs without rl_iobuf */
} rl_ctl;

typedef struct rl_result {   /* host-visible, layout fixed */
  int32_t status;
  uint32_t out_ptr, out_len;     /* RESP reply or function list */
  uint32_t codes_ptr, codes_len; /* error codes to count in errorstats, '\n'-separated */
  uint32_t err_ptr, err_len;
  uint32_t src_ptr, src_len;
  int32_t line;                  /* -1 when absent */
  int32_t has_source_line;       /* 1 when both source and line were present */
  int32_t ignore_stats;
} rl_result;

typedef struct rl_buf { char *p; size_t len, cap; } rl_buf;

typedef struct rl_fnreg {    /* one redis.register_function call during FUNCTION LOAD */
  char *name; size_t name_len;
  char *desc; size_t desc_len; int has_desc;
  uint32_t flags;
  int ref;
} rl_fnreg;

typedef struct rl_loadctx {
  double start, timeout;
  rl_fnreg *fns; int nfns, capfns;
} rl_loadctx;

/* Last scripts run, by sha: registry refs to the f_<sha> functions (ref <= 0: empty slot). */
#define RL_FCACHE 64
typedef struct rl_fcache { char sha[40]; int ref; } rl_fcache;

typedef struct rl_vm {
  rl_ctl ctl;                /* first member: rl_vm_ctl returns its address */
  lua_State *L;
  int kind, host_id, flags;
  int in_run;                /* Redis: run ctx present in the registry */
  int inuse;                 /* luaRedisGenericCommand recursion guard */
  int killed;                /* hook decided to kill: re-raise on every line */
  int caller_resp;
  rl_loadctx *load;          /* non-NULL during FUNCTION LOAD */
  size_t mem_used, mem_limit;
  rl_buf io, reply, out, codes, err, src;
  rl_arg *argv; int argv_cap;
  char *numbuf; int numbuf_cap;
  rl_result res;
  /* Registry refs taken once at creation, so a run interns no strings: the error handler, the
   * reply converter, and the KEYS/ARGV names. */
  int eh_ref, conv_ref, keys_ref, argv_ref;
  struct conv_ctx *conv;     /* reply conversion buffers, kept between runs */
  rl_fcache fcache[RL_FCACHE];
  struct rl_ldb *ldb;         /* debugging session of the next/current run (ldb.c), or NULL */
} rl_vm;

static rl_vm *vm_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);     /* the allocator's userdata is the owning vm */
  return (rl_vm *)ud;
}

/* ------------------------------------------------------------------------------------------ */
/* Buffers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int buf_reserve(rl_buf *b, size_t extra) {
  if (extra > SIZE_MAX - b->len) return 0;  /* wasm32: size_t is 32 bits */
  size_t need = b->len + extra;
  if (need <= b->cap) return 1;
  size_t ncap;
  /* Doubling up to 64 MB; past that exactly what is needed (doubling a 1.2 GB reply would ask for 2.4 GB) */
  if (need >= ((size_t)64 << 20)) ncap = need;
  else { ncap = b->cap ? b->cap : 256; while (ncap < need) ncap *= 2; }
  char *np = realloc(b->p, ncap);
  if (!np) return 0;
  b->p = np; b->cap = ncap;
  return 1;
}
static void buf_add(rl_buf *b, const void *p, size_t n) {
  if (!buf_reserve(b, n)) abort();
  memcpy(b->p + b->len, p, n);
  b->len += n;
}
static void buf_adds(rl_buf *b, const char *s) { buf_add(b, s, strlen(s)); }
static void buf_free(rl_buf *b) { free(b->p); b->p = NULL; b->len = b->cap = 0; }

/* Publishes the io and reply buffers in the ctl block after they move. */
static void sync_ctl_bufs(rl_vm *vm) {
  vm->ctl.reply_ptr = (uint32_t)(uintptr_t)vm->reply.p; vm->ctl.reply_cap = (uint32_t)vm->reply.cap;
  vm->ctl.io_ptr = (uint32_t)(uintptr_t)vm->io.p; vm->ctl.io_cap = (uint32_t)vm->io.cap;
}

/* "%lld" without printf: writes the digits of v at d (21 bytes suffice) and returns their count. */
static int fmt_ll(char *d, long long v) {
  char t[24]; int n = 0, k = 0;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do { t[n++] = (char)('0' + (int)(u % 10)); u /= 10; } while (u);
  if (v < 0) d[k++] = '-';
  while (n) d[k++] = t[--n];
  return k;
}

/* ------------------------------------------------------------------------------------------ */
/* Allocator with per-state accounting and cap                                                */
/* ------------------------------------------------------------------------------------------ */

/* No single Lua object reaches 2 GiB: Lua 5.1 and the libraries keep sizes and offsets in
 * ptrdiff_t, long and int, which are 32-bit on wasm32 (the reference has 64-bit ones), so a
 * 2 GiB string would turn their arithmetic negative. Such a block fails as out of memory. */
#define RL_MAX_BLOCK ((size_t)0x7fffffff - 64)

static void *rl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  rl_vm *vm = ud;
  if (nsize == 0) {
    free(ptr);
    vm->mem_used -= osize;
    return NULL;
  }
  /* Growing past the cap fails like malloc: Lua raises "not enough memory" and the
   * state stays usable. Shrinks never fail (Lua 5.1 relies on that). */
  if (nsize > osize) {
    if (nsize > RL_MAX_BLOCK) return NULL;
    if (vm->mem_limit && (vm->mem_used >= vm->mem_limit || nsize - osize > vm->mem_limit - vm->mem_used)) return NULL;
  }
  void *np = realloc(ptr, nsize);
  if (np) vm->mem_used = vm->mem_used - osize + nsize;
  return np;
}

/* The bundled libraries' allocation failures (patches in native/cmsgpack and native/cjson):
 * Lua's own "not enough memory" error on the calling thread, which the script sees as it sees
 * any allocation failure, instead of an abort or a write through NULL. */
__attribute__((noreturn)) void rl_lib_nomem(lua_State *L) {
  luaD_throw(L, LUA_ERRMEM);
  abort(); /* not reached */
}

/* Whether a library buffer (cjson's strbuf, outside Lua's allocator) may grow by `extra`
 * bytes under the owning state's memory limit, so the limit holds for it too. */
int rl_lib_may_grow(lua_State *L, size_t extra) {
  rl_vm *vm = vm_of(L);
  if (extra > RL_MAX_BLOCK) return 0;
  return !vm->mem_limit || (vm->mem_used < vm->mem_limit && extra <= vm->mem_limit - vm->mem_used);
}

/* ------------------------------------------------------------------------------------------ */
/* PRNG: Redis rand.c (drand48 clone), one process-wide state shared by every VM              */
/* ------------------------------------------------------------------------------------------ */

static uint64_t rl_rand_x = ((uint64_t)0x1234 << 32) | ((uint64_t)0xABCD << 16) | 0x330E;
#define RL_LRAND48_MAX 2147483647

static int32_t rl_lrand48(void) {
  rl_rand_x = (rl_rand_x * 0x5DEECE66DULL + 0xB) & 0xFFFFFFFFFFFFULL;
  return (int32_t)(rl_rand_x >> 17);
}
static void rl_srand48(int32_t seed) {
  uint32_t s = (uint32_t)seed;
  rl_rand_x = ((uint64_t)(s >> 16) << 32) | ((uint64_t)(s & 0xFFFF) << 16) | 0x330E;
}

/* ------------------------------------------------------------------------------------------ */
/* SHA1 (for redis.sha1hex)                                                                   */
/* ------------------------------------------------------------------------------------------ */

#define ROL32(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
static void sha1_block(uint32_t h[5], const unsigned char *p) {
  uint32_t w[80], a, b, c, d, e, t;
  int i;
  for (i = 0; i < 16; i++) w[i] = (uint32_t)p[4*i] << 24 | (uint32_t)p[4*i+1] << 16 | (uint32_t)p[4*i+2] << 8 | p[4*i+3];
  for (i = 16; i < 80; i++) w[i] = ROL32(w[i-3] ^ w[i-8] ^ w[i-14] ^ w[i-16], 1);
  a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
  for (i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
    else { f = b ^ c ^ d; k = 0xCA62C1D6; }
    t = ROL32(a, 5) + f + e + k + w[i];
    e = d; d = c; c = ROL32(b, 30); b = a; a = t;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}
static void sha1hex(char out[41], const char *s, size_t len) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  unsigned char blk[64];
  size_t i = 0;
  for (; i + 64 <= len; i += 64) sha1_block(h, (const unsigned char *)s + i);
  size_t rem = len - i;
  memset(blk, 0, 64);
  memcpy(blk, s + i, rem);
  blk[rem] = 0x80;
  if (rem >= 56) { sha1_block(h, blk); memset(blk, 0, 64); }
  uint64_t bits = (uint64_t)len * 8;
  for (int j = 0; j < 8; j++) blk[63 - j] = (unsigned char)(bits >> (8 * j));
  sha1_block(h, blk);
  static const char hex[] = "0123456789abcdef";
  for (int j = 0; j < 20; j++) {
    unsigned char byte = (unsigned char)(h[j / 4] >> (24 - 8 * (j % 4)));
    out[2*j] = hex[byte >> 4]; out[2*j+1] = hex[byte & 15];
  }
  out[40] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Error tables (script_lua.c luaPushErrorBuff)                                               */
/* ------------------------------------------------------------------------------------------ */

/* Pushes {err='<CODE> <msg>'}: "-CODE msg" keeps CODE, anything else gets ERR; trailing CR/LF trimmed.
 * Works on C strings like Redis's sds calls do (stops at NUL). */
static void ldb_note_error(lua_State *L, const char *e, size_t elen);
static void push_error_len(lua_State *L, const char *e, size_t elen) {
  luaL_Buffer b;
  ldb_note_error(L, e, elen);
  const char *code = "ERR"; size_t code_len = 3;
  const char *msg = e; size_t msg_len = elen;
  size_t nul = strnlen(e, elen);
  elen = nul; msg_len = nul;
  if (elen > 0 && e[0] == '-') {
    const char *sp = memchr(e, ' ', elen);
    if (!sp) { msg = e + 1; msg_len = elen - 1; }
    else { code = e + 1; code_len = (size_t)(sp - e - 1); msg = sp + 1; msg_len = elen - (size_t)(sp + 1 - e); }
  }
  /* sdstrim(msg, "\r\n"): strip CR/LF from both ends */
  while (msg_len > 0 && (msg[0] == '\r' || msg[0] == '\n')) { msg++; msg_len--; }
  while (msg_len > 0 && (msg[msg_len-1] == '\r' || msg[msg_len-1] == '\n')) msg_len--;
  lua_newtable(L);
  lua_pushstring(L, "err");
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, code, code_len);
  luaL_addchar(&b, ' ');
  luaL_addlstring(&b, msg, msg_len);
  luaL_pushresult(&b);
  lua_settable(L, -3);
}
static void push_error(lua_State *L, const char *e) { push_error_len(L, e, strlen(e)); }

/* The debugger is its own seam of the shim (one translation unit: one symbol prefix, one export list). */
#include "ldb.c"

/* ------------------------------------------------------------------------------------------ */
/* RESP -> Lua (resp_parser.c + redisProtocolToLuaType_*)                                      */
/* ------------------------------------------------------------------------------------------ */

typedef struct rparser { const char *p, *end; int depth; } rparser;

static const char *find_crlf(rparser *r, const char *from) {
  for (const char *q = from; q + 1 < r->end; q++) if (q[0] == '\r' && q[1] == '\n') return q;
  return NULL;
}
static int parse_ll(const char *s, const char *e, long long *out) {
  if (s >= e) return 0;
  int neg = 0; unsigned long long v = 0;
  if (*s == '-') { neg = 1; s++; } else if (*s == '+') s++;
  if (s >= e) return 0;
  for (; s < e; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (unsigned)(*s - '0');
  }
  *out = neg ? (long long)(0 - v) : (long long)v;
  return 1;
}
static void checkstack_or_fail(lua_State *L, int n) {
  /* Redis panics here ("lua stack limit reach when parsing redis.call reply"); we raise instead. */
  if (!lua_checkstack(L, n)) luaL_error(L, "reached lua stack limit while parsing a redis.call reply");
}

/* Parses one reply; pushes one value when push != 0. Returns 0 on malformed input. */
static int resp_to_lua(lua_State *L, rparser *r, int push) {
  if (r->p >= r->end) return 0;
  if (++r->depth > 1000) return 0;
  char t = *r->p;
  const char *le = find_crlf(r, r->p + 1);
  if (!le) return 0;
  const char *s = r->p + 1;
  size_t slen = (size_t)(le - s);
  long long n;
  int ok = 1;
  switch (t) {
  case ':':
    if (!parse_ll(s, le, &n)) return 0;
    r->p = le + 2;
    if (push) { checkstack_or_fail(L, 1); lua_pushnumber(L, (lua_Number)n); }
    break;
  case '$': case '=': {
    if (!parse_ll(s, le, &n)) return 0;
    r->p = le + 2;
    if (n < 0) { if (push) { checkstack_or_fail(L, 1); lua_pushboolean(L, 0); } break; }
    if ((size_t)(r->end - r->p) < (size_t)n + 2) return 0;
    const char *body = r->p;
    r->p += n + 2;
    if (!push) break;
    if (t == '$') { checkstack_or_fail(L, 1); lua_pushlstring(L, body, (size_t)n); break; }
    if (n < 4) return 0;
    checkstack_or_fail(L, 5);
    lua_newtable(L);
    lua_pushstring(L, "verbatim_string");
    lua_newtable(L);
    lua_pushstring(L, "string");
    lua_pushlstring(L, body + 4, (size_t)n - 4);
    lua_settable(L, -3);
    lua_pushstring(L, "format");
    lua_pushlstring(L, body, 3);
    lua_settable(L, -3);
    lua_settable(L, -3);
    break;
  }
  case '+':
    r->p = le + 2;
    if (push) {
      checkstack_or_fail(L, 3);
      lua_newtable(L);
      lua_pushstring(L, "ok");
      lua_pushlstring(L, s, slen);
      lua_settable(L, -3);
    }
    break;
  case '-':
    r->p = le + 2;
    if (push) {
      checkstack_or_fail(L, 3);
      push_error_len(L, s - 1, slen + 1);  /* "-CODE msg" */
      lua_pushstring(L, "ignore_error_stats_update");
      lua_pushboolean(L, 1);
      lua_settable(L, -3);
    }
    break;
  case '_':
    r->p = le + 2;
    if (push) { checkstack_or_fail(L, 1); lua_pushnil(L); }
    break;
  case '#':
    if (slen != 1 || (s[0] != 't' && s[0] != 'f')) return 0;
    r->p = le + 2;
    if (push) { checkstack_or_fail(L, 1); lua_pushboolean(L, s[0] == 't'); }
    break;
  case ',': {
    double d = 0;
    if (slen <= 5 * 1024) {  /* MAX_LONG_DOUBLE_CHARS */
      char buf[5 * 1024 + 1];
      memcpy(buf, s, slen); buf[slen] = '\0';
      d = rl_strtod(buf, NULL);
    }
    r->p = le + 2;
    if (push) {
      checkstack_or_fail(L, 3);
      lua_newtable(L);
      lua_pushstring(L, "double");
      lua_pushnumber(L, d);
      lua_settable(L, -3);
    }
    break;
  }
  case '(':
    r->p = le + 2;
    if (push) {
      checkstack_or_fail(L, 3);
      lua_newtable(L);
      lua_pushstring(L, "big_number");
      lua_pushlstring(L, s, slen);
      lua_settable(L, -3);
    }
    break;
  case '*': case '%': case '~': case '|': {
    if (!parse_ll(s, le, &n)) return 0;
    r->p = le + 2;
    if (t == '*' && n < 0) { if (push) { checkstack_or_fail(L, 1); lua_pushboolean(L, 0); } break; }
    if (n < 0) return 0;
    if (t == '|') {  /* attribute: parse and drop, then the real reply */
      for (long long j = 0; j < n && ok; j++) ok = resp_to_lua(L, r, 0) && resp_to_lua(L, r, 0);
      if (ok) ok = resp_to_lua(L, r, push);
      break;
    }
    if (t == '*') {
      if (push) { checkstack_or_fail(L, 2); lua_newtable(L); }
      for (long long j = 0; j < n && ok; j++) {
        if (push) lua_pushnumber(L, (lua_Number)(j + 1));
        ok = resp_to_lua(L, r, push);
        if (ok && push) lua_settable(L, -3);
      }
    } else {
      if (push) { checkstack_or_fail(L, 3); lua_newtable(L); lua_pushstring(L, t == '%' ? "map" : "set"); lua_newtable(L); }
      for (long long j = 0; j < n && ok; j++) {
        ok = resp_to_lua(L, r, push);
        if (ok) {
          if (t == '%') ok = resp_to_lua(L, r, push);
          else if (push) { checkstack_or_fail(L, 1); lua_pushboolean(L, 1); }
        }
        if (ok && push) lua_settable(L, -3);
      }
      if (ok && push) lua_settable(L, -3);
    }
    break;
  }
  default:
    return 0;
  }
  r->depth--;
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* redis.call / redis.pcall / redis.acl_check_cmd argument conversion                          */
/* ------------------------------------------------------------------------------------------ */

/* luaArgsToRedisArgv: numbers use %.17g, strings are taken as bytes. The rl_arg entries point
 * straight into Lua strings that stay on the stack until the host returns, so nothing is copied.
 * Returns argc, or -1 after pushing the Redis error table. */
static int args_to_argv(lua_State *L, rl_vm *vm) {
  int argc = lua_gettop(L), j;
  if (argc == 0) {
    push_error(L, "Please specify at least one argument for this redis lib call");
    return -1;
  }
  if (vm->argv_cap < argc) {
    rl_arg *na = realloc(vm->argv, sizeof(rl_arg) * (size_t)argc);
    char *nb = realloc(vm->numbuf, 32 * (size_t)argc);
    if (!na || !nb) { free(na); free(nb); vm->argv = NULL; vm->numbuf = NULL; vm->argv_cap = 0; luaL_error(L, "not enough memory"); }
    vm->argv = na; vm->numbuf = nb; vm->argv_cap = argc;
  }
  for (j = 0; j < argc; j++) {
    if (lua_type(L, j + 1) == LUA_TNUMBER) {
      char *d = vm->numbuf + 32 * j;
      double v = (double)lua_tonumber(L, j + 1);
      /* %.17g of an integral value below 1e15 is its integer digits ("-0" keeps its sign via printf) */
      int n = (v > -1e15 && v < 1e15 && v == (double)(long long)v && (v != 0 || !signbit(v)))
                  ? fmt_ll(d, (long long)v) : snprintf(d, 32, "%.17g", v);
      vm->argv[j].ptr = d; vm->argv[j].len = (uint32_t)n;
    } else {
      size_t len;
      const char *s = lua_tolstring(L, j + 1, &len);
      if (s == NULL) break;
      vm->argv[j].ptr = s; vm->argv[j].len = (uint32_t)len;
    }
  }
  if (j != argc) {
    lua_pop(L, argc);
    push_error(L, "Lua redis lib command arguments must be strings or integers");
    return -1;
  }
  return argc;
}

static int redis_generic_command(lua_State *L, int raise_error) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) {
    push_error(L, "redis.call/pcall can only be called inside a script invocation");
    return lua_error(L);
  }
  int argc = args_to_argv(L, vm);
  if (argc < 0) return raise_error ? lua_error(L) : 1;
  if (vm->inuse) {
    lua_pop(L, argc);
    push_error(L, "luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?");
    return 1;
  }
  vm->inuse++;
  if (ldb_enabled(vm)) ldb_log_command(vm, argc);
  vm->reply.len = 0;
  /* The one crossing into JS for this call: argv points into the Lua stack (still alive),
   * the host writes its reply into vm->reply (in place when it fits ctl.reply_cap, else
   * through rl_reply_alloc) and returns its length. */
  int rc = rl_host_call(vm->host_id, vm->argv, argc, vm->ctl.script_resp, !raise_error);
  vm->inuse--;
  lua_pop(L, argc);  /* the arguments are no longer referenced */
  if (rc == RL_CALL_REJECTED) {
    push_error_len(L, vm->reply.p ? vm->reply.p : "", vm->reply.p ? vm->reply.len : 0);
    lua_pushstring(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_settable(L, -3);
  } else if (rc == RL_CALL_NOMEM) {
    /* The reply buffer could not grow: LUA_ERRMEM, as Lua's allocator raises it when converting the reply fails
     * (no error handler runs; the script ends with "not enough memory", which pcall catches like any memory error) */
    luaD_throw(L, LUA_ERRMEM);
    return 0;
  } else if (rc < 0 || (size_t)rc > vm->reply.cap) {
    push_error(L, "-ERR redlua host failed to produce a reply");
    lua_pushstring(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_settable(L, -3);
  } else {
    vm->reply.len = (size_t)rc;  /* the host may have written in place (rc <= ctl.reply_cap) */
    rparser r = { vm->reply.p, vm->reply.p + rc, 0 };
    if (raise_error && (rc == 0 || vm->reply.p[0] != '-')) raise_error = 0;
    int top = lua_gettop(L);
    if (!resp_to_lua(L, &r, 1) || r.p != r.end) {
      lua_settop(L, top);
      push_error(L, "-ERR redlua host produced an invalid RESP reply");
    }
    if (ldb_enabled(vm)) ldb_log_redis_reply(vm->ldb, vm->reply.p, (size_t)rc);
  }
  if (raise_error) return lua_error(L);
  return 1;
}
static int l_redis_call(lua_State *L) { return redis_generic_command(L, 1); }
static int l_redis_pcall(lua_State *L) { return redis_generic_command(L, 0); }

/* Redis's replacement of the global pcall (luaRedisPcall). */
static int l_pcall(lua_State *L) {
  int argc = lua_gettop(L);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0)) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) lua_replace(L, -2);
      /* (Redis leaves a non-string err value on the stack as well.) */
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

static int l_sha1hex(lua_State *L) {
  char digest[41];
  size_t len;
  if (lua_gettop(L) != 1) { push_error(L, "wrong number of arguments"); return lua_error(L); }
  const char *s = lua_tolstring(L, 1, &len);
  if (!s) { s = ""; len = 0; }
  sha1hex(digest, s, len);
  lua_pushstring(L, digest);
  return 1;
}

static int l_status_reply(lua_State *L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    push_error(L, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushstring(L, "ok");
  lua_pushvalue(L, -3);
  lua_settable(L, -3);
  return 1;
}

static int l_error_reply(lua_State *L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    push_error(L, "wrong number or type of arguments");
    return 1;
  }
  const char *e = lua_tostring(L, -1);
  if (e[0] != '-') {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '-');
    luaL_addstring(&b, e);
    luaL_pushresult(&b);
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    push_error_len(L, s, n);
  } else {
    push_error(L, e);
  }
  return 1;
}

static int l_set_repl(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) { push_error(L, "redis.set_repl can only be called inside a script invocation"); return lua_error(L); }
  if (lua_gettop(L) != 1) { push_error(L, "redis.set_repl() requires two arguments."); return lua_error(L); }
  int flags = rl_d2i32(lua_tonumber(L, -1));
  if ((flags & ~3) != 0) {
    push_error(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    return lua_error(L);
  }
  vm->ctl.repl_flags = flags;
  return 0;
}

static int l_acl_check_cmd(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) { push_error(L, "redis.acl_check_cmd can only be called inside a script invocation"); return lua_error(L); }
  int argc = args_to_argv(L, vm);
  if (argc < 0) return lua_error(L);
  int rc = rl_host_acl(vm->host_id, vm->argv, argc);
  lua_pop(L, argc);
  if (rc < 0) { push_error(L, "Invalid command passed to redis.acl_check_cmd()"); return lua_error(L); }
  lua_pushboolean(L, rc > 0);
  return 1;
}

static int l_log(lua_State *L) {
  rl_vm *vm = vm_of(L);
  int j, argc = lua_gettop(L);
  if (argc < 2) { push_error(L, "redis.log() requires two arguments or more."); return lua_error(L); }
  if (!lua_isnumber(L, -argc)) { push_error(L, "First argument must be a number (log level)."); return lua_error(L); }
  int level = rl_d2i32(lua_tonumber(L, -argc));
  if (level < 0 || level > 3) { push_error(L, "Invalid debug level."); return lua_error(L); }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int first = 1;
  for (j = 1; j < argc; j++) {
    size_t len;
    /* luaL_Buffer keeps pieces on the stack, so read the argument by absolute index */
    const char *s = lua_tolstring(L, j + 1, &len);
    if (s) {
      if (j != 1 && !first) luaL_addchar(&b, ' ');
      else if (j != 1) luaL_addchar(&b, ' ');
      luaL_addlstring(&b, s, len);
      first = 0;
    }
  }
  luaL_pushresult(&b);
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  rl_host_log(vm->host_id, level, msg, (uint32_t)len);
  return 0;
}

static int l_setresp(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) { push_error(L, "redis.setresp can only be called inside a script invocation"); return lua_error(L); }
  int argc = lua_gettop(L);
  if (argc != 1) { push_error(L, "redis.setresp() requires one argument."); return lua_error(L); }
  int resp = rl_d2i32(lua_tonumber(L, -argc));
  if (resp != 2 && resp != 3) { push_error(L, "RESP version must be 2 or 3."); return lua_error(L); }
  vm->ctl.script_resp = resp;
  return 0;
}

static int l_replicate_commands(lua_State *L) { lua_pushboolean(L, 1); return 1; }

static int l_math_random(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) return luaL_error(L, "math.random can only be called inside a script invocation");
  lua_Number r = (lua_Number)(rl_lrand48() % RL_LRAND48_MAX) / (lua_Number)RL_LRAND48_MAX;
  switch (lua_gettop(L)) {
  case 0: lua_pushnumber(L, r); break;
  case 1: {
    int u = luaL_checkint(L, 1);
    luaL_argcheck(L, 1 <= u, 1, "interval is empty");
    lua_pushnumber(L, floor(r * u) + 1);
    break;
  }
  case 2: {
    int l = luaL_checkint(L, 1);
    int u = luaL_checkint(L, 2);
    luaL_argcheck(L, l <= u, 2, "interval is empty");
    lua_pushnumber(L, floor(r * (u - l + 1)) + l);
    break;
  }
  default: return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}
static int l_math_randomseed(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (!vm->in_run) return luaL_error(L, "math.randomseed can only be called inside a script invocation");
  rl_srand48(luaL_checkint(L, 1));
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Sandbox (script_lua.c luaRegisterRedisAPI & friends)                                        */
/* ------------------------------------------------------------------------------------------ */

static const char *const allow_libraries[] = {"string", "cjson", "bit", "cmsgpack", "math", "table", "struct", NULL};
static const char *const allow_redis_api[] = {"redis", "__redis__err__handler", NULL};
static const char *const allow_builtins[] = {"xpcall", "tostring", "setmetatable", "next", "assert", "tonumber",
  "rawequal", "collectgarbage", "getmetatable", "rawset", "pcall", "coroutine", "type", "_G", "select", "unpack",
  "gcinfo", "pairs", "rawget", "loadstring", "ipairs", "_VERSION", "load", "error", NULL};
static const char *const deprecated_builtins[] = {"newproxy", "setfenv", "getfenv", NULL};
static const char *const allow_removed_after_init[] = {"debug", NULL};
static const char *const *const allow_lists[] = {allow_libraries, allow_redis_api, allow_builtins, allow_removed_after_init, NULL};

static int in_list(const char *const *l, const char *s) {
  for (; *l; l++) if (strcmp(*l, s) == 0) return 1;
  return 0;
}

static int l_protected_table_error(lua_State *L) {
  int argc = lua_gettop(L);
  if (argc != 2) luaL_error(L, "Wrong number of arguments to luaProtectedTableError");
  if (!lua_isstring(L, -1) && !lua_isnumber(L, -1))
    luaL_error(L, "Second argument to luaProtectedTableError must be a string or number");
  const char *name = lua_tostring(L, -1);
  luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name);
  return 0;
}

static void set_error_metatable(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, l_protected_table_error);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

static int l_newindex_allow_list(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (lua_gettop(L) != 3) luaL_error(L, "Wrong number of arguments to luaNewIndexAllowList");
  if (!lua_istable(L, -3)) luaL_error(L, "first argument to luaNewIndexAllowList must be a table");
  if (!lua_isstring(L, -2) && !lua_isnumber(L, -2))
    luaL_error(L, "Second argument to luaNewIndexAllowList must be a string or number");
  const char *name = lua_tostring(L, -2);
  int allowed = 0;
  for (const char *const *const *l = allow_lists; *l; l++) if (in_list(*l, name)) { allowed = 1; break; }
  if (!allowed && in_list(deprecated_builtins, name)) allowed = (vm->flags & RL_VM_FLAG_DEPRECATED_API) != 0;
  /* Names on neither list are dropped; Redis would log a warning (never happens with our fixed library set). */
  if (allowed) lua_rawset(L, -3);
  return 0;
}

static void set_allow_list_protection(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, l_newindex_allow_list);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
}

static void set_table_protection_recursively(lua_State *L) {
  if (lua_isreadonlytable(L, -1)) return;
  lua_enablereadonlytable(L, -1, 1);
  lua_checkstack(L, 2);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_istable(L, -1)) set_table_protection_recursively(L);
    lua_pop(L, 1);
  }
  if (lua_getmetatable(L, -1)) {
    set_table_protection_recursively(L);
    lua_pop(L, 1);
  }
}

static void set_basic_types_protection(lua_State *L) {
  static const int types[] = {LUA_TSTRING, LUA_TNUMBER, LUA_TBOOLEAN, LUA_TNIL, LUA_TFUNCTION, LUA_TTHREAD, LUA_TLIGHTUSERDATA};
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    switch (types[i]) {
    case LUA_TSTRING: lua_pushstring(L, ""); break;
    case LUA_TNUMBER: lua_pushnumber(L, 0); break;
    case LUA_TBOOLEAN: lua_pushboolean(L, 0); break;
    case LUA_TNIL: lua_pushnil(L); break;
    case LUA_TFUNCTION: lua_pushcfunction(L, l_debug); break;
    case LUA_TTHREAD: lua_newthread(L); break;
    case LUA_TLIGHTUSERDATA: lua_pushlightuserdata(L, (void *)L); break;
    }
    if (lua_getmetatable(L, -1)) {
      set_table_protection_recursively(L);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
}

LUALIB_API int luaopen_cjson(lua_State *L);
LUALIB_API int luaopen_struct(lua_State *L);
LUALIB_API int luaopen_cmsgpack(lua_State *L);
LUALIB_API int luaopen_bit(lua_State *L);

static void load_lib(lua_State *L, const char *name, lua_CFunction f) {
  lua_pushcfunction(L, f);
  lua_pushstring(L, name);
  lua_call(L, 1, 0);
}

static void set_field_fn(lua_State *L, const char *k, lua_CFunction f) {
  lua_pushstring(L, k); lua_pushcfunction(L, f); lua_settable(L, -3);
}
static void set_field_num(lua_State *L, const char *k, lua_Number n) {
  lua_pushstring(L, k); lua_pushnumber(L, n); lua_settable(L, -3);
}

static void register_log(lua_State *L) {
  set_field_fn(L, "log", l_log);
  set_field_num(L, "LOG_DEBUG", 0);
  set_field_num(L, "LOG_VERBOSE", 1);
  set_field_num(L, "LOG_NOTICE", 2);
  set_field_num(L, "LOG_WARNING", 3);
}
static void register_version(lua_State *L) {
  set_field_num(L, "REDIS_VERSION_NUM", 0x07000F);
  lua_pushstring(L, "REDIS_VERSION"); lua_pushstring(L, "7.0.15"); lua_settable(L, -3);
}

static void register_redis_api(lua_State *L) {
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  set_allow_list_protection(L);
  lua_pop(L, 1);

  load_lib(L, "", luaopen_base);
  load_lib(L, LUA_TABLIBNAME, luaopen_table);
  load_lib(L, LUA_STRLIBNAME, luaopen_string);
  load_lib(L, LUA_MATHLIBNAME, luaopen_math);
  load_lib(L, LUA_DBLIBNAME, luaopen_debug);
  load_lib(L, "cjson", luaopen_cjson);
  load_lib(L, "struct", luaopen_struct);
  load_lib(L, "cmsgpack", luaopen_cmsgpack);
  load_lib(L, "bit", luaopen_bit);

  lua_pushcfunction(L, l_pcall);
  lua_setglobal(L, "pcall");

  lua_newtable(L);
  set_field_fn(L, "call", l_redis_call);
  set_field_fn(L, "pcall", l_redis_pcall);
  register_log(L);
  register_version(L);
  set_field_fn(L, "setresp", l_setresp);
  set_field_fn(L, "sha1hex", l_sha1hex);
  set_field_fn(L, "error_reply", l_error_reply);
  set_field_fn(L, "status_reply", l_status_reply);
  set_field_fn(L, "set_repl", l_set_repl);
  set_field_num(L, "REPL_NONE", 0);
  set_field_num(L, "REPL_AOF", 1);
  set_field_num(L, "REPL_SLAVE", 2);
  set_field_num(L, "REPL_REPLICA", 2);
  set_field_num(L, "REPL_ALL", 3);
  set_field_fn(L, "acl_check_cmd", l_acl_check_cmd);
  lua_setglobal(L, "redis");

  lua_getglobal(L, "math");
  set_field_fn(L, "random", l_math_random);
  set_field_fn(L, "randomseed", l_math_randomseed);
  lua_setglobal(L, "math");
}

static const char eval_errh[] =
  "local dbg = debug\n"
  "debug = nil\n"
  "function __redis__err__handler(err)\n"
  "  local i = dbg.getinfo(2,'nSl')\n"
  "  if i and i.what == 'C' then\n"
  "    i = dbg.getinfo(3,'nSl')\n"
  "  end\n"
  "  if type(err) ~= 'table' then\n"
  "    err = {err='ERR ' .. tostring(err)}"
  "  end"
  "  if i then\n"
  "    err['source'] = i.source\n"
  "    err['line'] = i.currentline\n"
  "  end"
  "  return err\n"
  "end\n";

static const char func_errh[] =
  "local dbg = debug\n"
  "debug = nil\n"
  "local error_handler = function (err)\n"
  "  local i = dbg.getinfo(2,'nSl')\n"
  "  if i and i.what == 'C' then\n"
  "    i = dbg.getinfo(3,'nSl')\n"
  "  end\n"
  "  if type(err) ~= 'table' then\n"
  "    err = {err='ERR ' .. tostring(err)}"
  "  end"
  "  if i then\n"
  "    err['source'] = i.source\n"
  "    err['line'] = i.currentline\n"
  "  end"
  "  return err\n"
  "end\n"
  "return error_handler";

static int l_register_function(lua_State *L);

/* scriptingInit (eval.c) */
static int init_eval_vm(lua_State *L) {
  register_redis_api(L);
  lua_getglobal(L, "redis");
  set_field_fn(L, "breakpoint", l_breakpoint);
  set_field_fn(L, "debug", l_debug);
  set_field_fn(L, "replicate_commands", l_replicate_commands);
  lua_setglobal(L, "redis");
  luaL_loadbuffer(L, eval_errh, strlen(eval_errh), "@err_handler_def");
  lua_call(L, 0, 0);
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  set_error_metatable(L);
  set_table_protection_recursively(L);
  lua_pop(L, 1);
  set_basic_types_protection(L);
  return 0;
}

/* luaEngineInitEngine (function_lua.c) */
static int init_func_vm(lua_State *L) {
  register_redis_api(L);
  lua_newtable(L);  /* load library globals */
  lua_newtable(L);  /* load library `redis` table */
  set_field_fn(L, "register_function", l_register_function);
  register_log(L);
  register_version(L);
  set_error_metatable(L);
  lua_setfield(L, -2, "redis");
  set_error_metatable(L);
  set_table_protection_recursively(L);
  lua_setfield(L, LUA_REGISTRYINDEX, "__LIBRARY_API__");

  lua_pushstring(L, "__ERROR_HANDLER__");
  luaL_loadbuffer(L, func_errh, strlen(func_errh), "@err_handler_def");
  lua_call(L, 0, 1);
  lua_settable(L, LUA_REGISTRYINDEX);

  lua_pushvalue(L, LUA_GLOBALSINDEX);
  set_error_metatable(L);
  set_table_protection_recursively(L);
  lua_pop(L, 1);

  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_setfield(L, LUA_REGISTRYINDEX, "__GLOBALS_API__");

  lua_newtable(L);  /* new globals */
  lua_newtable(L);  /* new globals metatable */
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_setfield(L, -2, "__index");
  lua_enablereadonlytable(L, -1, 1);
  lua_setmetatable(L, -2);
  lua_enablereadonlytable(L, -1, 1);
  lua_replace(L, LUA_GLOBALSINDEX);

  set_basic_types_protection(L);
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Hooks (luaMaskCountHook + scriptInterrupt, luaEngineLoadHook)                               */
/* ------------------------------------------------------------------------------------------ */

static void run_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  rl_vm *vm = vm_of(L);
  if (!vm->killed) {
    if (vm->ctl.kill) {
      vm->killed = 1;
    } else if (vm->ctl.deadline > 0 && rl_host_now() >= vm->ctl.deadline) {
      vm->ctl.busy_calls++;
      /* The host serves other clients synchronously and returns; it never unwinds through us. */
      if (rl_host_busy(vm->host_id) == 1 || vm->ctl.kill) vm->killed = 1;
    }
  }
  if (vm->killed) {
    /* Re-arm on every line so that pcall cannot swallow the kill. */
    lua_sethook(L, run_hook, LUA_MASKLINE, 0);
    push_error(L, "Script killed by user with SCRIPT KILL...");
    lua_error(L);
  }
}

static void load_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  rl_vm *vm = vm_of(L);
  rl_loadctx *lc = vm->load;
  if (!lc) return;
  double elapsed = rl_host_now() - lc->start;
  if (lc->timeout > 0 && elapsed > lc->timeout) {
    lua_sethook(L, load_hook, LUA_MASKLINE, 0);
    push_error(L, "FUNCTION LOAD timeout");
    lua_error(L);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* redis.register_function (function_lua.c)                                                   */
/* ------------------------------------------------------------------------------------------ */

static const struct { const char *name; uint32_t flag; } script_flags[] = {
  {"no-writes", 1u << 0}, {"allow-oom", 1u << 1}, {"allow-stale", 1u << 2},
  {"no-cluster", 1u << 3}, {"allow-cross-slot-keys", 1u << 5}, {NULL, 0}};

static int read_flags(lua_State *L, uint32_t *flags) {
  int j = 1;
  uint32_t f = 0;
  for (;;) {
    lua_pushnumber(L, j++);
    lua_gettable(L, -2);
    if (lua_type(L, -1) == LUA_TNIL) { lua_pop(L, 1); break; }
    if (!lua_isstring(L, -1)) { lua_pop(L, 1); return 0; }
    const char *s = lua_tostring(L, -1);
    int found = 0;
    for (int k = 0; script_flags[k].name; k++)
      if (!strcasecmp(script_flags[k].name, s)) { f |= script_flags[k].flag; found = 1; break; }
    lua_pop(L, 1);
    if (!found) return 0;
  }
  *flags = f;
  return 1;
}

static char *dup_lua_string(lua_State *L, int idx, size_t *len) {
  const char *s = lua_tolstring(L, idx, len);
  char *d = malloc(*len + 1);
  if (!d) abort();
  memcpy(d, s, *len); d[*len] = 0;
  return d;
}

static int l_register_function(lua_State *L) {
  rl_vm *vm = vm_of(L);
  rl_loadctx *lc = vm->load;
  const char *err = NULL;
  rl_fnreg fr; memset(&fr, 0, sizeof(fr)); fr.ref = LUA_NOREF;
  if (!lc) {
    push_error(L, "redis.register_function can only be called on FUNCTION LOAD command");
    return lua_error(L);
  }
  int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) { err = "wrong number of arguments to redis.register_function"; goto error; }
  if (argc == 1) {
    if (!lua_istable(L, 1)) {
      err = "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).";
      goto error;
    }
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (!lua_isstring(L, -2)) { err = "named argument key given to redis.register_function is not a string"; goto error; }
      const char *key = lua_tostring(L, -2);
      if (!strcasecmp(key, "function_name")) {
        if (!lua_isstring(L, -1)) { err = "function_name argument given to redis.register_function must be a string"; goto error; }
        free(fr.name); fr.name = dup_lua_string(L, -1, &fr.name_len);
      } else if (!strcasecmp(key, "description")) {
        if (!lua_isstring(L, -1)) { err = "description argument given to redis.register_function must be a string"; goto error; }
        free(fr.desc); fr.desc = dup_lua_string(L, -1, &fr.desc_len); fr.has_desc = 1;
      } else if (!strcasecmp(key, "callback")) {
        if (!lua_isfunction(L, -1)) { err = "callback argument given to redis.register_function must be a function"; goto error; }
        if (fr.ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, fr.ref);
        fr.ref = luaL_ref(L, LUA_REGISTRYINDEX);
        continue;  /* luaL_ref popped the value */
      } else if (!strcasecmp(key, "flags")) {
        if (!lua_istable(L, -1)) { err = "flags argument to redis.register_function must be a table representing function flags"; goto error; }
        if (!read_flags(L, &fr.flags)) { err = "unknown flag given"; goto error; }
      } else {
        err = "unknown argument given to redis.register_function";
        goto error;
      }
      lua_pop(L, 1);
    }
    if (!fr.name) { err = "redis.register_function must get a function name argument"; goto error; }
    if (fr.ref == LUA_NOREF) { err = "redis.register_function must get a callback argument"; goto error; }
  } else {
    if (!lua_isstring(L, 1)) { err = "first argument to redis.register_function must be a string"; goto error; }
    fr.name = dup_lua_string(L, 1, &fr.name_len);
    if (!lua_isfunction(L, 2)) { err = "second argument to redis.register_function must be a function"; goto error; }
    fr.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  /* functionLibCreateFunction */
  {
    int valid = fr.name_len > 0;
    for (size_t i = 0; i < fr.name_len && valid; i++) {
      char c = fr.name[i];
      valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!valid) { err = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"; goto error; }
    for (int i = 0; i < lc->nfns; i++)
      if (lc->fns[i].name_len == fr.name_len && memcmp(lc->fns[i].name, fr.name, fr.name_len) == 0) {
        err = "Function already exists in the library"; goto error;
      }
  }
  if (lc->nfns == lc->capfns) {
    int nc = lc->capfns ? lc->capfns * 2 : 8;
    rl_fnreg *nf = realloc(lc->fns, sizeof(rl_fnreg) * (size_t)nc);
    if (!nf) abort();
    lc->fns = nf; lc->capfns = nc;
  }
  lc->fns[lc->nfns++] = fr;
  return 0;
error:
  free(fr.name); free(fr.desc);
  if (fr.ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, fr.ref);
  push_error(L, err);
  return lua_error(L);
}

/* ------------------------------------------------------------------------------------------ */
/* Lua -> RESP (luaReplyToRedisReply), iterative so deep tables cannot overflow the wasm stack  */
/* ------------------------------------------------------------------------------------------ */

enum { FR_ARRAY, FR_MAP_KEY, FR_MAP_VALUE, FR_SET };
typedef struct conv_frame { int kind; size_t hdr; long long count; lua_Number j; } conv_frame;
typedef struct conv_hdr { size_t pos; char text[24]; uint8_t len; } conv_hdr;

typedef struct conv_ctx {
  rl_vm *vm;
  rl_buf raw;               /* body bytes, headers of aggregates are inserted at the end */
  conv_hdr *hdrs; size_t nhdrs, caphdrs;
  conv_frame *frames; size_t nframes, capframes;
} conv_ctx;

static void c_add(conv_ctx *c, const void *p, size_t n) { buf_add(&c->raw, p, n); }
static void c_adds(conv_ctx *c, const char *s) { buf_add(&c->raw, s, strlen(s)); }
/* <prefix><v>\r\n */
static void c_fmt(conv_ctx *c, char prefix, long long v) {
  char b[32]; b[0] = prefix;
  int n = 1 + fmt_ll(b + 1, v);
  b[n++] = '\r'; b[n++] = '\n';
  c_add(c, b, (size_t)n);
}

static size_t c_defer(conv_ctx *c) {  /* addReplyDeferredLen */
  if (c->nhdrs == c->caphdrs) {
    c->caphdrs = c->caphdrs ? c->caphdrs * 2 : 16;
    c->hdrs = realloc(c->hdrs, sizeof(conv_hdr) * c->caphdrs);
    if (!c->hdrs) abort();
  }
  c->hdrs[c->nhdrs].pos = c->raw.len;
  c->hdrs[c->nhdrs].len = 0;
  return c->nhdrs++;
}
static void c_setlen(conv_ctx *c, size_t h, char prefix, long long n) {
  char *t = c->hdrs[h].text;
  t[0] = prefix;
  int k = 1 + fmt_ll(t + 1, n);
  t[k++] = '\r'; t[k++] = '\n';
  c->hdrs[h].len = (uint8_t)k;
}

/* addReplyErrorFormatEx(c, flags, "-%s", msg) + afterErrorReply's error-code extraction */
static void c_error(conv_ctx *c, const char *msg, int count_stats) {
  rl_buf s = {0};
  buf_add(&s, "-", 1);
  buf_adds(&s, msg);
  /* sdstrim(s, "\r\n") */
  size_t a = 0, e = s.len;
  while (a < e && (s.p[a] == '\r' || s.p[a] == '\n')) a++;
  while (e > a && (s.p[e-1] == '\r' || s.p[e-1] == '\n')) e--;
  char *p = s.p + a; size_t len = e - a;
  for (size_t i = 0; i < len; i++) if (p[i] == '\r' || p[i] == '\n') p[i] = ' ';
  if (!len || p[0] != '-') c_add(c, "-ERR ", 5);
  c_add(c, p, len);
  c_add(c, "\r\n", 2);
  if (count_stats) {
    rl_buf *codes = &c->vm->codes;
    if (codes->len) buf_add(codes, "\n", 1);
    if (!len || p[0] != '-') buf_add(codes, "ERR", 3);
    else {
      char *sp = memchr(p, ' ', len < 32 ? len : 32);
      if (sp) buf_add(codes, p + 1, (size_t)(sp - p - 1));
      else buf_add(codes, "ERR", 3);
    }
  }
  buf_free(&s);
}

static void c_null(conv_ctx *c) { c_adds(c, c->vm->caller_resp == 2 ? "$-1\r\n" : "_\r\n"); }
static void c_bulk(conv_ctx *c, const char *s, size_t len) { c_fmt(c, '$', (long long)len); c_add(c, s, len); c_add(c, "\r\n", 2); }

/* Converts (and pops) the value on top of the stack; leaves aggregates open via frames. */
static void conv_push_frame(conv_ctx *c, int kind, size_t hdr) {
  if (c->nframes == c->capframes) {
    c->capframes = c->capframes ? c->capframes * 2 : 64;
    c->frames = realloc(c->frames, sizeof(conv_frame) * c->capframes);
    if (!c->frames) abort();
  }
  conv_frame *f = &c->frames[c->nframes++];
  f->kind = kind; f->hdr = hdr; f->count = 0; f->j = 1;
}

/* Returns 1 when it opened an aggregate (frame pushed, table left on stack), 0 when done. */
static int conv_value(lua_State *L, conv_ctx *c) {
  rl_vm *vm = c->vm;
  int t = lua_type(L, -1);
  if (!lua_checkstack(L, 4)) {
    c_error(c, "ERR reached lua stack limit", 1);  /* addReplyErrorFormat adds the ERR prefix */
    lua_pop(L, 1);
    return 0;
  }
  switch (t) {
  case LUA_TSTRING: {
    size_t len; const char *s = lua_tolstring(L, -1, &len);
    c_bulk(c, s, len);
    break;
  }
  case LUA_TBOOLEAN:
    if (vm->ctl.script_resp == 2) {
      if (lua_toboolean(L, -1)) c_adds(c, ":1\r\n"); else c_null(c);
    } else {
      if (vm->caller_resp == 2) c_adds(c, lua_toboolean(L, -1) ? ":1\r\n" : ":0\r\n");
      else c_adds(c, lua_toboolean(L, -1) ? "#t\r\n" : "#f\r\n");
    }
    break;
  case LUA_TNUMBER:
    c_fmt(c, ':', rl_d2i64(lua_tonumber(L, -1)));
    break;
  case LUA_TTABLE: {
    lua_pushstring(L, "err");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_pop(L, 1);
      /* luaExtractErrorInformation: non-raw lookups, like Redis */
      const char *msg = NULL; int ignore = 0;
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) msg = lua_tostring(L, -1);
      lua_getfield(L, -2, "ignore_error_stats_update");
      if (lua_isboolean(L, -1)) ignore = lua_toboolean(L, -1);
      c_error(c, msg ? msg : "", !ignore);
      lua_pop(L, 3);
      return 0;
    }
    lua_pop(L, 1);
    lua_pushstring(L, "ok");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TSTRING) {
      /* addReplyStatusSafe: C string, CR/LF become spaces */
      const char *s = lua_tostring(L, -1);
      size_t len = strlen(s);
      c_add(c, "+", 1);
      size_t at = c->raw.len;
      c_add(c, s, len);
      for (size_t i = 0; i < len; i++) if (c->raw.p[at+i] == '\r' || c->raw.p[at+i] == '\n') c->raw.p[at+i] = ' ';
      c_add(c, "\r\n", 2);
      lua_pop(L, 2);
      return 0;
    }
    lua_pop(L, 1);
    lua_pushstring(L, "double");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      double d = lua_tonumber(L, -1);
      char db[64];
      if (isinf(d)) {
        if (vm->caller_resp == 2) c_bulk(c, d > 0 ? "inf" : "-inf", d > 0 ? 3 : 4);
        else c_adds(c, d > 0 ? ",inf\r\n" : ",-inf\r\n");
      } else {
        int n = snprintf(db, sizeof db, "%.17g", d);
        if (vm->caller_resp == 2) c_bulk(c, db, (size_t)n);
        else { c_add(c, ",", 1); c_add(c, db, (size_t)n); c_add(c, "\r\n", 2); }
      }
      lua_pop(L, 2);
      return 0;
    }
    lua_pop(L, 1);
    lua_pushstring(L, "big_number");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t len; const char *s = lua_tolstring(L, -1, &len);
      if (vm->caller_resp == 2) c_fmt(c, '$', (long long)len); else c_add(c, "(", 1);
      size_t at = c->raw.len;
      c_add(c, s, len);
      for (size_t i = 0; i < len; i++) if (c->raw.p[at+i] == '\r' || c->raw.p[at+i] == '\n') c->raw.p[at+i] = ' ';
      c_add(c, "\r\n", 2);
      lua_pop(L, 2);
      return 0;
    }
    lua_pop(L, 1);
    lua_pushstring(L, "verbatim_string");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushstring(L, "format");
      lua_rawget(L, -2);
      if (lua_type(L, -1) == LUA_TSTRING) {
        const char *fmt = lua_tostring(L, -1);
        lua_pushstring(L, "string");
        lua_rawget(L, -3);
        if (lua_type(L, -1) == LUA_TSTRING) {
          size_t len; const char *s = lua_tolstring(L, -1, &len);
          if (vm->caller_resp == 2) c_bulk(c, s, len);
          else {
            char ext[3]; const char *e = fmt;
            for (int i = 0; i < 3; i++) { if (*e == '\0') ext[i] = ' '; else ext[i] = *e++; }
            c_fmt(c, '=', (long long)len + 4);
            c_add(c, ext, 3); c_add(c, ":", 1); c_add(c, s, len); c_add(c, "\r\n", 2);
          }
          lua_pop(L, 4);
          return 0;
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushstring(L, "map");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
      conv_push_frame(c, FR_MAP_KEY, c_defer(c));
      lua_pushnil(L);
      return 1;
    }
    lua_pop(L, 1);
    lua_pushstring(L, "set");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
      conv_push_frame(c, FR_SET, c_defer(c));
      lua_pushnil(L);
      return 1;
    }
    lua_pop(L, 1);
    conv_push_frame(c, FR_ARRAY, c_defer(c));
    return 1;
  }
  default:
    c_null(c);
  }
  lua_pop(L, 1);
  return 0;
}

/* Drives conv_value over the whole tree with an explicit frame stack; the Lua stack holds the
 * same values at the same depths as Redis's recursive version, so lua_checkstack fails at
 * exactly the same nesting level. */
static void conv_run(lua_State *L, conv_ctx *c) {
  if (!conv_value(L, c)) return;
  while (c->nframes) {
    conv_frame *f = &c->frames[c->nframes - 1];
    int opened = 0;
    switch (f->kind) {
    case FR_ARRAY:
      lua_pushnumber(L, f->j++);
      lua_rawget(L, -2);
      if (lua_type(L, -1) == LUA_TNIL) {
        lua_pop(L, 1);
        c_setlen(c, f->hdr, '*', f->count);
        lua_pop(L, 1);  /* the array table */
        c->nframes--;
        continue;
      }
      f->count++;
      opened = conv_value(L, c);
      break;
    case FR_MAP_KEY:  /* stack: outer, map, key */
      if (!lua_next(L, -2)) {
        if (c->vm->caller_resp == 2) c_setlen(c, f->hdr, '*', f->count * 2);
        else c_setlen(c, f->hdr, '%', f->count);
        lua_pop(L, 2);
        c->nframes--;
        continue;
      }
      lua_pushvalue(L, -2);
      f->kind = FR_MAP_VALUE;
      opened = conv_value(L, c);   /* key copy */
      break;
    case FR_MAP_VALUE:             /* stack: outer, map, key, value */
      f->kind = FR_MAP_KEY;
      f->count++;
      opened = conv_value(L, c);
      break;
    case FR_SET:
      if (!lua_next(L, -2)) {
        c_setlen(c, f->hdr, c->vm->caller_resp == 2 ? '*' : '~', f->count);
        lua_pop(L, 2);
        c->nframes--;
        continue;
      }
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      f->count++;
      opened = conv_value(L, c);
      break;
    }
    (void)opened;
  }
}

/* Called with (ud, value): as in Redis, the stack holds exactly two slots (here: our userdata +
 * the value; there: the error handler + the value) when lua_checkstack starts counting. */
static int conv_protected(lua_State *L) {
  conv_ctx *c = lua_touserdata(L, 1);
  conv_run(L, c);
  return 0;
}

static void assemble_reply(conv_ctx *c, rl_buf *out) {
  out->len = 0;
  size_t prev = 0;
  for (size_t i = 0; i < c->nhdrs; i++) {
    buf_add(out, c->raw.p + prev, c->hdrs[i].pos - prev);
    buf_add(out, c->hdrs[i].text, c->hdrs[i].len);
    prev = c->hdrs[i].pos;
  }
  buf_add(out, c->raw.p + prev, c->raw.len - prev);
}

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void res_reset(rl_vm *vm) {
  memset(&vm->res, 0, sizeof(vm->res));
  vm->res.line = -1;
  vm->out.len = vm->codes.len = vm->err.len = vm->src.len = 0;
}
static void res_finish(rl_vm *vm, int status) {
  vm->res.status = status;
  vm->res.out_ptr = (uint32_t)(uintptr_t)vm->out.p; vm->res.out_len = (uint32_t)vm->out.len;
  vm->res.codes_ptr = (uint32_t)(uintptr_t)vm->codes.p; vm->res.codes_len = (uint32_t)vm->codes.len;
  vm->res.err_ptr = (uint32_t)(uintptr_t)vm->err.p; vm->res.err_len = (uint32_t)vm->err.len;
  vm->res.src_ptr = (uint32_t)(uintptr_t)vm->src.p; vm->res.src_len = (uint32_t)vm->src.len;
}
static void res_err(rl_vm *vm, int status, const char *s, size_t len) {
  vm->err.len = 0;
  buf_add(&vm->err, s, len);
  res_finish(vm, status);
}

/* luaExtractErrorInformation on the error object at the top (popped). */
static void extract_error(rl_vm *vm, lua_State *L) {
  if (!lua_istable(L, -1)) {
    size_t len;
    const char *s = lua_isstring(L, -1) ? lua_tolstring(L, -1, &len) : NULL;
    if (!s) { s = "execution failure"; len = strlen(s); }
    res_err(vm, RL_ERR_RAW, s, len);
    lua_pop(L, 1);
    return;
  }
  const char *msg = NULL, *src = NULL, *line = NULL;
  lua_getfield(L, -1, "err");
  if (lua_isstring(L, -1)) msg = lua_tostring(L, -1);
  lua_getfield(L, -2, "source");
  if (lua_isstring(L, -1)) src = lua_tostring(L, -1);
  lua_getfield(L, -3, "line");
  if (lua_isstring(L, -1)) line = lua_tostring(L, -1);
  lua_getfield(L, -4, "ignore_error_stats_update");
  if (lua_isboolean(L, -1)) vm->res.ignore_stats = lua_toboolean(L, -1);
  /* error({}) makes Redis 7.0.15 dereference NULL; we report a generic error instead. */
  if (!msg) msg = "ERR unknown error";
  vm->err.len = 0; buf_adds(&vm->err, msg);
  vm->src.len = 0;
  if (src && line) {
    buf_adds(&vm->src, src);
    vm->res.line = atoi(line);
    vm->res.has_source_line = 1;
  }
  lua_pop(L, 5);
  res_finish(vm, RL_ERR_TABLE);
}

/* ------------------------------------------------------------------------------------------ */
/* Exports                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int rl_gc_counter = 0;  /* Redis: static gc_count shared by EVAL and FCALL */

static unsigned fcache_slot(const char *sha) {
  return ((unsigned char)sha[0] * 31u * 31u + (unsigned char)sha[1] * 31u + (unsigned char)sha[2] * 7u + (unsigned char)sha[3]) % RL_FCACHE;
}

/* The registry refs of rl_vm, taken once the state is initialised (protected: may raise OOM). */
static int init_refs(lua_State *L) {
  rl_vm *vm = vm_of(L);
  if (vm->kind == RL_EVAL) lua_getglobal(L, "__redis__err__handler");
  else lua_getfield(L, LUA_REGISTRYINDEX, "__ERROR_HANDLER__");
  vm->eh_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushcfunction(L, conv_protected);
  vm->conv_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushliteral(L, "KEYS");
  vm->keys_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushliteral(L, "ARGV");
  vm->argv_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

RL_EXPORT int rl_abi_version(void) { return 1; }
/* Address of the process-wide PRNG state (48 bits in a uint64), so the host can carry it over
 * when it has to re-create the instance after a trap. */
RL_EXPORT uint64_t *rl_rand_state(void) { return &rl_rand_x; }

RL_EXPORT rl_vm *rl_vm_new(int kind, int host_id, int flags, uint32_t mem_limit) {
  rl_vm *vm = calloc(1, sizeof(rl_vm));
  if (!vm) return NULL;
  vm->kind = kind; vm->host_id = host_id; vm->flags = flags;
  vm->mem_limit = mem_limit;
  vm->ctl.repl_flags = 3; vm->ctl.script_resp = 2;
  vm->L = lua_newstate(rl_alloc, vm);
  if (!vm->L) { free(vm); return NULL; }
  /* Initialisation runs unprotected in Redis; a cpcall turns an OOM into a NULL return. */
  vm->conv = calloc(1, sizeof(conv_ctx));
  if (!vm->conv || !buf_reserve(&vm->io, 4096) || !buf_reserve(&vm->reply, 4096) ||
      lua_cpcall(vm->L, kind == RL_EVAL ? init_eval_vm : init_func_vm, NULL) != 0 ||
      lua_cpcall(vm->L, init_refs, NULL) != 0) {
    lua_close(vm->L); free(vm->conv); buf_free(&vm->io); buf_free(&vm->reply); free(vm); return NULL;
  }
  sync_ctl_bufs(vm);
  return vm;
}

RL_EXPORT void rl_vm_close(rl_vm *vm) {
  if (!vm) return;
  ldb_free(vm);
  lua_gc(vm->L, LUA_GCCOLLECT, 0);  /* CVE-2024-46981: collect before close */
  lua_close(vm->L);
  buf_free(&vm->io); buf_free(&vm->reply); buf_free(&vm->out); buf_free(&vm->codes);
  buf_free(&vm->err); buf_free(&vm->src);
  free(vm->argv); free(vm->numbuf);
  if (vm->conv) { buf_free(&vm->conv->raw); free(vm->conv->hdrs); free(vm->conv->frames); free(vm->conv); }
  free(vm);
}

RL_EXPORT rl_ctl *rl_vm_ctl(rl_vm *vm) { return &vm->ctl; }
RL_EXPORT rl_result *rl_result_ptr(rl_vm *vm) { return &vm->res; }
RL_EXPORT double rl_vm_mem_used(rl_vm *vm) { return (double)lua_gc(vm->L, LUA_GCCOUNT, 0) * 1024.0; }
RL_EXPORT double rl_vm_mem_bytes(rl_vm *vm) { return (double)vm->mem_used; }
RL_EXPORT void rl_vm_set_mem_limit(rl_vm *vm, uint32_t limit) { vm->mem_limit = limit; }
RL_EXPORT void rl_vm_gc(rl_vm *vm) { lua_gc(vm->L, LUA_GCCOLLECT, 0); }

/* Scratch input buffer; the returned pointer is valid until the next rl_iobuf call. */
RL_EXPORT char *rl_iobuf(rl_vm *vm, uint32_t n) {
  vm->io.len = 0;
  if (!buf_reserve(&vm->io, n ? n : 1)) return NULL;
  sync_ctl_bufs(vm);
  return vm->io.p;
}
/* Reply buffer for rl_host_call; called by the host from inside that import. */
RL_EXPORT char *rl_reply_alloc(rl_vm *vm, uint32_t n) {
  vm->reply.len = 0;
  /* The reply becomes Lua values: a reply that cannot fit under the state's cap fails as Lua's allocator would */
  if (vm->mem_limit && n > vm->reply.cap && vm->mem_used + n > vm->mem_limit) return NULL;
  if (!buf_reserve(&vm->reply, n ? n : 1)) return NULL;
  vm->reply.len = n;
  sync_ctl_bufs(vm);
  return vm->reply.p;
}

/* EVAL: compile body as the main chunk "@user_script" into registry f_<sha>. */
RL_EXPORT int rl_eval_compile(rl_vm *vm, const char *sha, const char *body, uint32_t len) {
  lua_State *L = vm->L;
  res_reset(vm);
  if (luaL_loadbuffer(L, body, len, "@user_script")) {
    size_t n; const char *m = lua_tolstring(L, -1, &n);
    if (!m) { m = "unknown compile error"; n = strlen(m); }
    res_err(vm, RL_ERR_COMPILE, m, n);
    lua_pop(L, 1);
    return RL_ERR_COMPILE;
  }
  char fname[43] = "f_";
  memcpy(fname + 2, sha, 40); fname[42] = 0;
  lua_setfield(L, LUA_REGISTRYINDEX, fname);
  rl_fcache *e = &vm->fcache[fcache_slot(sha)];
  if (e->ref > 0 && memcmp(e->sha, sha, 40) == 0) { luaL_unref(L, LUA_REGISTRYINDEX, e->ref); e->ref = 0; }
  res_finish(vm, RL_OK);
  return RL_OK;
}

RL_EXPORT int rl_eval_has(rl_vm *vm, const char *sha) {
  char fname[43] = "f_";
  memcpy(fname + 2, sha, 40); fname[42] = 0;
  lua_getfield(vm->L, LUA_REGISTRYINDEX, fname);
  int has = !lua_isnil(vm->L, -1);
  lua_pop(vm->L, 1);
  return has;
}

static void create_array(lua_State *L, const char **pp, int n) {
  lua_newtable(L);
  for (int j = 0; j < n; j++) {
    uint32_t len;
    memcpy(&len, *pp, 4);
    lua_pushlstring(L, *pp + 4, len);
    lua_rawseti(L, -2, j + 1);
    *pp += 4 + len;
  }
}

/* luaCallFunction: stack on entry = [handler, function]. items = nkeys+nargs [u32 len][bytes]. */
static int call_function(rl_vm *vm, const char *items, int nkeys, int nargs, int caller_resp, double deadline) {
  lua_State *L = vm->L;
  const char *p = items;
  vm->in_run = 1;
  vm->killed = 0;
  vm->caller_resp = caller_resp;
  vm->ctl.script_resp = 2;
  vm->ctl.repl_flags = 3;
  vm->ctl.kill = 0;
  vm->ctl.busy_calls = 0;
  vm->ctl.deadline = deadline;
  int delhook = 0;
  if (vm->ldb && vm->ldb->active) { lua_sethook(L, ldb_hook, LUA_MASKLINE | LUA_MASKCOUNT, 100000); delhook = 1; }
  else if (deadline > 0) { lua_sethook(L, run_hook, LUA_MASKCOUNT, 100000); delhook = 1; }
  int err;
  if (vm->kind == RL_EVAL) {
    /* lua_setglobal(L, "KEYS") / "ARGV", with the names from the registry */
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->keys_ref);
    create_array(L, &p, nkeys);
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 0);
    lua_settable(L, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->argv_ref);
    create_array(L, &p, nargs);
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 0);
    lua_settable(L, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 1);
    err = lua_pcall(L, 0, 1, -2);
  } else {
    create_array(L, &p, nkeys);
    create_array(L, &p, nargs);
    err = lua_pcall(L, 2, 1, -4);
  }
  if (++rl_gc_counter == 50) { lua_gc(L, LUA_GCSTEP, 50); rl_gc_counter = 0; }
  if (err) {
    extract_error(vm, L);
  } else {
    conv_ctx *c = vm->conv;
    c->vm = vm; c->raw.len = 0; c->nhdrs = 0; c->nframes = 0;
    /* [handler, result] -> [handler, converter, ud, result] */
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->conv_ref);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, c);
    lua_insert(L, -2);
    int cerr = lua_pcall(L, 2, 0, 0);
    if (cerr) {
      size_t n; const char *m = lua_tolstring(L, -1, &n);
      if (!m) { m = "error while converting the script result"; n = strlen(m); }
      res_err(vm, RL_ERR_RAW, m, n);
      lua_pop(L, 1);
    } else if (c->nhdrs == 0) {
      rl_buf t = vm->out; vm->out = c->raw; c->raw = t;  /* no aggregate headers: the body is the reply */
      res_finish(vm, RL_OK);
    } else {
      assemble_reply(c, &vm->out);
      res_finish(vm, RL_OK);
    }
    /* keep the buffers for the next run unless a huge reply blew them up */
    if (c->raw.cap > (1u << 20)) buf_free(&c->raw);
    if (c->caphdrs > 4096) { free(c->hdrs); c->hdrs = NULL; c->caphdrs = 0; }
    if (c->capframes > 4096) { free(c->frames); c->frames = NULL; c->capframes = 0; }
  }
  if (delhook) lua_sethook(L, NULL, 0, 0);
  vm->in_run = 0;
  vm->ctl.deadline = 0;
  return vm->res.status;
}

RL_EXPORT int rl_eval_run(rl_vm *vm, const char *sha, const char *items, int nkeys, int nargs, int caller_resp, double deadline) {
  lua_State *L = vm->L;
  res_reset(vm);
  lua_rawgeti(L, LUA_REGISTRYINDEX, vm->eh_ref);  /* __redis__err__handler (the globals are read-only) */
  rl_fcache *e = &vm->fcache[fcache_slot(sha)];
  if (e->ref > 0 && memcmp(e->sha, sha, 40) == 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->ref);
  } else {
    char fname[43] = "f_";
    memcpy(fname + 2, sha, 40); fname[42] = 0;
    lua_getfield(L, LUA_REGISTRYINDEX, fname);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 2);
      res_err(vm, RL_ERR_NOTFOUND, "NOSCRIPT", 8);
      return RL_ERR_NOTFOUND;
    }
    /* remember it, unless a capped state is close to its cap (luaL_ref may grow the registry) */
    if (!vm->mem_limit || vm->mem_used + 4096 < vm->mem_limit) {
      if (e->ref > 0) luaL_unref(L, LUA_REGISTRYINDEX, e->ref);
      lua_pushvalue(L, -1);
      e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
      memcpy(e->sha, sha, 40);
    }
  }
  int st = call_function(vm, items, nkeys, nargs, caller_resp, deadline);
  lua_pop(L, 1);  /* error handler */
  return st;
}

RL_EXPORT int rl_fn_call(rl_vm *vm, int ref, const char *items, int nkeys, int nargs, int caller_resp, double deadline) {
  lua_State *L = vm->L;
  res_reset(vm);
  lua_rawgeti(L, LUA_REGISTRYINDEX, vm->eh_ref);  /* registry __ERROR_HANDLER__ */
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 2);
    res_err(vm, RL_ERR_NOTFOUND, "no such function", 16);
    return RL_ERR_NOTFOUND;
  }
  int st = call_function(vm, items, nkeys, nargs, caller_resp, deadline);
  lua_pop(L, 1);
  return st;
}

RL_EXPORT void rl_fn_free(rl_vm *vm, int ref) { luaL_unref(vm->L, LUA_REGISTRYINDEX, ref); }

static void set_globals_index(lua_State *L, const char *regkey) {
  lua_getmetatable(L, LUA_GLOBALSINDEX);
  lua_enablereadonlytable(L, -1, 0);
  lua_getfield(L, LUA_REGISTRYINDEX, regkey);
  lua_setfield(L, -2, "__index");
  lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 1);  /* (sic) Redis re-protects the globals, not the metatable */
  lua_pop(L, 1);
}

/* FUNCTION LOAD (luaEngineCreate). On success out = list of
 * [u32 ref][u32 flags][u32 name_len][name][i32 desc_len or -1][desc] records. */
RL_EXPORT int rl_fn_load(rl_vm *vm, const char *code, uint32_t len, double timeout_ms) {
  lua_State *L = vm->L;
  res_reset(vm);
  rl_loadctx lc; memset(&lc, 0, sizeof lc);
  int ok = 0;
  set_globals_index(L, "__LIBRARY_API__");
  if (luaL_loadbuffer(L, code, len, "@user_function")) {
    vm->err.len = 0;
    buf_adds(&vm->err, "Error compiling function: ");
    size_t n; const char *m = lua_tolstring(L, -1, &n);
    if (m) buf_add(&vm->err, m, n);
    lua_pop(L, 1);
    res_finish(vm, RL_ERR_COMPILE);
    goto done;
  }
  lc.start = rl_host_now();
  lc.timeout = timeout_ms;
  vm->load = &lc;
  lua_sethook(L, load_hook, LUA_MASKCOUNT, 100000);
  if (lua_pcall(L, 0, 0, 0)) {
    vm->err.len = 0;
    buf_adds(&vm->err, "Error registering functions: ");
    if (lua_isstring(L, -1)) { buf_adds(&vm->err, "ERR "); buf_adds(&vm->err, lua_tostring(L, -1)); }
    else if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      buf_adds(&vm->err, lua_isstring(L, -1) ? lua_tostring(L, -1) : "ERR unknown error");
      lua_pop(L, 1);
    } else buf_adds(&vm->err, "ERR unknown error");
    lua_pop(L, 1);
    res_finish(vm, RL_ERR_COMPILE);
    goto done;
  }
  ok = 1;
done:
  set_globals_index(L, "__GLOBALS_API__");
  lua_sethook(L, NULL, 0, 0);
  vm->load = NULL;
  if (ok) {
    vm->out.len = 0;
    for (int i = 0; i < lc.nfns; i++) {
      rl_fnreg *f = &lc.fns[i];
      uint32_t u[3] = {(uint32_t)f->ref, f->flags, (uint32_t)f->name_len};
      buf_add(&vm->out, u, sizeof u);
      buf_add(&vm->out, f->name, f->name_len);
      int32_t dl = f->has_desc ? (int32_t)f->desc_len : -1;
      buf_add(&vm->out, &dl, 4);
      if (f->has_desc) buf_add(&vm->out, f->desc, f->desc_len);
    }
    vm->res.line = lc.nfns;  /* number of functions */
    res_finish(vm, RL_OK);
  } else {
    for (int i = 0; i < lc.nfns; i++) luaL_unref(L, LUA_REGISTRYINDEX, lc.fns[i].ref);
  }
  for (int i = 0; i < lc.nfns; i++) { free(lc.fns[i].name); free(lc.fns[i].desc); }
  free(lc.fns);
  return vm->res.status;
}
