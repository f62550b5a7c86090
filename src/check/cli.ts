#!/usr/bin/env node
// redlua check: the command line over src/check (Redis counterpart: none).
//   redlua check [--json] [--eval|--function] [--run] [--key K]... [--arg A]... [--fcall NAME] [--setup 'CMD ARG ...']... FILE...
// Exit status: 0 every file loads (and runs) as Redis would accept it, 1 some file has problems, 2 usage error.
import fs from 'node:fs';
import { check, formatHuman, type CheckCase } from './index.js';

const USAGE =
  'Usage: redlua check [--json] [--eval|--function] [--run] [--key K]... [--arg A]... [--fcall NAME] [--setup "CMD ARG ..."]... FILE...\n' +
  '  Loads each FILE (an EVAL script, or a FUNCTION library when it starts with #!lua) into a fresh in-process\n' +
  '  redlua server and reports what Redis 7.0.15 replies: compile errors, shebang flag errors, FUNCTION LOAD errors,\n' +
  '  and with --run the reply or runtime error (undeclared globals, Lua 5.2+ library use) of EVAL/FCALL.\n';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'check') argv = argv.slice(1);
  const files: string[] = [];
  const keys: string[] = [];
  const args: string[] = [];
  const setup: string[][] = [];
  let json = false, run = false, fcall: string | undefined;
  let kind: CheckCase['kind'] = 'auto';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    try {
      if (a === '--json') json = true;
      else if (a === '--run') run = true;
      else if (a === '--eval') kind = 'eval';
      else if (a === '--function') kind = 'function';
      else if (a === '--key') keys.push(val());
      else if (a === '--arg') args.push(val());
      else if (a === '--fcall') { fcall = val(); run = true; }
      else if (a === '--setup') setup.push(val().split(/\s+/).filter(Boolean));
      else if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return 0; }
      else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
      else files.push(a);
    } catch (e) {
      process.stderr.write(`redlua check: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
  }
  if (files.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const cases: CheckCase[] = [];
  for (const f of files) {
    let source: Buffer;
    try {
      source = fs.readFileSync(f);
    } catch (e) {
      process.stderr.write(`redlua check: cannot read ${f}: ${(e as Error).message}\n`);
      return 2;
    }
    cases.push({ name: f, source, kind, setup, run: run ? { keys, args, fcall } : undefined });
  }
  let results;
  try {
    results = await check(cases);
  } catch (e) {
    process.stderr.write(`redlua check: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(json ? JSON.stringify(results, null, 2) + '\n' : formatHuman(results));
  return results.every(r => r.ok) ? 0 : 1;
}

main(process.argv.slice(2)).then(code => process.exit(code));
