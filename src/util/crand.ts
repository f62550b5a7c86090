// glibc's rand()/srand() (random_r.c TYPE_3: additive feedback over 31 words, r[i] = r[i-31] + r[i-3]), so art that
// Redis draws with rand() (LOLWUT) is drawn with the same generator. Redis seeds it with time(NULL) ^ getpid().

const DEG = 31;
const SEP = 3;

export class CRand {
  private r = new Int32Array(DEG);
  private f = SEP; // front index (fptr)
  private b = 0; // rear index (rptr)

  constructor(seed: number) {
    this.seed(seed);
  }

  /** srandom_r: Park–Miller (Schrage's method, C truncating division) fills the table, then 310 draws are discarded. */
  seed(seed: number): void {
    let word = seed | 0;
    if (word === 0) word = 1;
    const r = this.r;
    r[0] = word;
    for (let i = 1; i < DEG; i++) {
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.f = SEP;
    this.b = 0;
    for (let i = 0; i < DEG * 10; i++) this.next();
  }

  /** rand(): 0 … RAND_MAX (2^31-1). */
  next(): number {
    const r = this.r;
    const val = (r[this.f] + r[this.b]) | 0;
    r[this.f] = val;
    if (++this.f >= DEG) this.f = 0;
    if (++this.b >= DEG) this.b = 0;
    return (val >>> 1) & 0x7fffffff;
  }
}

export const RAND_MAX = 2147483647;

/** The process's generator, seeded as Redis's main() does (srand(time(NULL)^getpid())). */
export const processRand = new CRand(Math.floor(Date.now() / 1000) ^ process.pid);
