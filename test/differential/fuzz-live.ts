// Not a test: a tool that looks for differences with random command streams (random-gen.ts) beyond the recorded seeds.
//   node dist/test/differential/fuzz-live.js <redlua port> <redis-server port> <first seed> <end seed> <length>
// runs each seed under RESP2 and RESP3 against both servers and prints its first mismatch, with the commands before it
// (KEY=<name>: all the earlier commands naming that key, with redis-server's replies; ONLY=EVAL,SORT keeps only the
// commands of those names, to aim at one area).
import { runCase, normalize, cmdOf } from './harness.js';
import { randomCommands } from './random-gen.js';

const [pa, pb, from, to, n] = process.argv.slice(2).map(Number);
for (let seed = from; seed < to; seed++) {
  for (const resp of [2, 3] as const) {
    const only = process.env.ONLY?.split(',');
    const cmds = randomCommands(seed, n).filter(x => !only || only.includes(String(cmdOf(x).cmd[0])));
    const c = { name: 's' + seed, cmds };
    const a = await runCase(pa, c, resp);
    const b = await runCase(pb, c, resp);
    for (let i = 0; i < a.length; i++) {
      const { cmd, mode } = cmdOf(c.cmds[i]);
      const m = mode ?? 'exact';
      if (normalize(a[i], m) !== normalize(b[i], m)) {
        console.log(`seed ${seed} RESP${resp} #${i} ${JSON.stringify(cmd.map(x => String(x)))} (${m})\n  ours:  ${JSON.stringify(a[i].toString('latin1'))}\n  redis: ${JSON.stringify(b[i].toString('latin1'))}`);
        const k = process.env.KEY;
        for (let j = 0; j < i; j++) {
          const cj = cmdOf(c.cmds[j]).cmd.map(String);
          if (k ? cj.includes(k) || ['FLUSHDB', 'SELECT', 'MULTI', 'EXEC', 'DISCARD'].includes(cj[0]) : j >= i - 12)
            console.log(`    #${j} ${JSON.stringify(cj)} -> ${JSON.stringify(b[j].toString('latin1').slice(0, 120))}`);
        }
        break;
      }
    }
  }
}
