// Every error text redlua puts on the wire lives in src/errors.ts (the E object): no other module of src/ may hold a
// string or template literal that starts like a Redis error reply ("ERR ...", "WRONGTYPE ...", "-NOGROUP ...").
// A literal used only to test a text's prefix (why.startsWith('ERR ')) is not an error text and is allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const srcDir = path.join(root, 'src');

/** The error codes Redis 7.0.15 replies with (server.c shared objects, addReplyError* call sites, cluster.c). */
const CODES = [
  'ERR', 'WRONGTYPE', 'NOGROUP', 'BUSYGROUP', 'NOPERM', 'NOSCRIPT', 'BUSY', 'BUSYKEY', 'UNBLOCKED', 'NOTBUSY',
  'UNKILLABLE', 'EXECABORT', 'LOADING', 'NOPROTO', 'NOAUTH', 'WRONGPASS', 'INVALIDOBJ', 'OOM', 'READONLY', 'MISCONF',
  'NOREPLICAS', 'MASTERDOWN', 'NOMASTERLINK', 'CROSSSLOT', 'CLUSTERDOWN', 'TRYAGAIN', 'MOVED', 'ASK', 'DENIED', 'TESTFAILED',
];
const ERROR_START = new RegExp(`^-?(?:${CODES.join('|')}) `);
const PREFIX_CHECKS = new Set(['startsWith', 'endsWith', 'includes', 'indexOf', 'lastIndexOf']);
/**
 * file -> literal texts allowed there. src/engine/ is the standalone Lua engine (it imports nothing of the server):
 * these are its own fallback rejections for a ScriptHost whose call() throws or returns nothing usable.
 */
const ALLOWED = new Map([['src/engine/index.ts', new Set(['-ERR ', '-ERR redlua host.call returned neither bytes nor {reject}'])]]);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** The literal's text up to its first substitution, or null for nodes that are not string or template literals. */
function literalStart(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return null;
}

/** `x.startsWith('ERR ')` and the like: the literal is a prefix being tested, not a text being written. */
function isPrefixCheck(node: ts.Node): boolean {
  const call = node.parent;
  return (
    call !== undefined &&
    ts.isCallExpression(call) &&
    call.arguments.includes(node as ts.Expression) &&
    ts.isPropertyAccessExpression(call.expression) &&
    PREFIX_CHECKS.has(call.expression.name.text)
  );
}

/** file:line: text of every error-like literal in one source text. */
function errorLiterals(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const allowed = ALLOWED.get(fileName);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalStart(node);
    if (text !== null && ERROR_START.test(text) && !isPrefixCheck(node) && !allowed?.has(text)) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      found.push(`${fileName}:${line}: ${node.getText(sf).slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test('the scanner finds error literals and ignores comments and prefix checks', () => {
  const src = [
    "// c.reply.error('ERR in a comment')",
    "/* 'WRONGTYPE in a block comment' */",
    "if (why.startsWith('ERR ')) why = why.slice(4);",
    "c.reply.error('ERR timeout is negative');",
    'const t = `NOGROUP No such key ${k}`;',
    "const s = '-' + \"BUSYGROUP Consumer Group name already exists\";",
    "const m = 'ERR ' + msg;",
    "const ok = 'ERRORS are fine', e = 'OOMPH';",
  ].join('\n');
  const lines = errorLiterals('x.ts', src).map(f => f.split(':')[1]);
  assert.deepEqual(lines, ['4', '5', '6', '7']);
});

test('no module of src/ but src/errors.ts writes a wire error text', () => {
  const offending: string[] = [];
  for (const file of tsFiles(srcDir)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (rel === 'src/errors.ts') continue;
    offending.push(...errorLiterals(rel, fs.readFileSync(file, 'utf8')));
  }
  assert.deepEqual(offending, [], `error texts outside src/errors.ts (move them into E):\n${offending.join('\n')}`);
});
