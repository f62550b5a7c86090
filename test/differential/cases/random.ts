// Differential cases: seeded random command streams (test/differential/random-gen.ts) over a few keys shared by every
// type, through redis.pcall too. Each seed is one case; its replies are recorded like any other case's.
import type { Suite } from '../harness.js';
import { randomCommands } from '../random-gen.js';

const SEEDS = 24;
const LENGTH = 250;

export const suite: Suite = {
  name: 'random',
  cases: Array.from({ length: SEEDS }, (_, i) => ({ name: `seed ${i + 1}`, cmds: randomCommands(i + 1, LENGTH) })),
};
