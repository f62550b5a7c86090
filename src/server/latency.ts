// The latency monitor and the per-command latency histograms (Redis: latency.c, sparkline.c, deps/hdr_histogram).
//
// LatencyMonitor keeps, per event ("command", "fast-command", "expire-cycle", …), the last 160 one-second samples at
// or above latency-monitor-threshold; it renders LATENCY GRAPH's sparkline and LATENCY DOCTOR's report as Redis does.
// Histogram is the HDR histogram Redis attaches to each command (1 ns … 1 s, 2 significant digits), with the two
// readings Redis makes of it: the cumulative log-2 buckets of LATENCY HISTOGRAM and INFO latencystats' percentiles.

const TS_LEN = 160; // LATENCY_TS_LEN

interface Sample {
  time: number; // unix seconds; 0 = unused slot
  latency: number; // ms
}

interface TimeSeries {
  idx: number;
  max: number;
  samples: Sample[];
}

export interface LatencyStats {
  allTimeHigh: number;
  avg: number;
  min: number;
  max: number;
  mad: number;
  samples: number;
  period: number;
}

/** Facts about the server the doctor's advice depends on. */
export interface DoctorContext {
  threshold: number;
  slowlogSlowerThan: number;
  hz: number;
  appendfsyncAlways: boolean;
}

const nowSec = () => Math.floor(Date.now() / 1000);

export class LatencyMonitor {
  /** event → time series, in creation order (Redis iterates its dict in hash order). */
  readonly events = new Map<string, TimeSeries>();
  threshold = 0;

  /** latencyAddSampleIfNeeded: `ms` is an integer number of milliseconds. */
  addIfNeeded(event: string, ms: number): void {
    if (this.threshold !== 0 && ms >= this.threshold) this.add(event, ms);
  }

  /** latencyAddSample: one sample per second per event, the highest of that second. */
  add(event: string, ms: number, now = nowSec()): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = { idx: 0, max: 0, samples: Array.from({ length: TS_LEN }, () => ({ time: 0, latency: 0 })) };
      this.events.set(event, ts);
    }
    if (ms > ts.max) ts.max = ms;
    const prev = ts.samples[(ts.idx + TS_LEN - 1) % TS_LEN];
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    ts.samples[ts.idx] = { time: now, latency: ms };
    ts.idx = (ts.idx + 1) % TS_LEN;
  }

  /** latencyResetEvent: null resets every event; names compare case-insensitively. Returns how many were reset. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }

  /** The samples oldest first. */
  samples(ts: TimeSeries): Sample[] {
    const out: Sample[] = [];
    for (let j = 0; j < TS_LEN; j++) {
      const s = ts.samples[(ts.idx + j) % TS_LEN];
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  latest(ts: TimeSeries): Sample {
    return ts.samples[(ts.idx + TS_LEN - 1) % TS_LEN];
  }

  /** analyzeLatencyForEvent */
  analyze(event: string, now = nowSec()): LatencyStats {
    const ts = this.events.get(event);
    const ls: LatencyStats = { allTimeHigh: ts ? ts.max : 0, avg: 0, min: 0, max: 0, mad: 0, samples: 0, period: 0 };
    if (!ts) return ls;
    let sum = 0;
    for (const s of ts.samples) {
      if (s.time === 0) continue;
      ls.samples++;
      if (ls.samples === 1) ls.min = ls.max = s.latency;
      else {
        if (ls.min > s.latency) ls.min = s.latency;
        if (ls.max < s.latency) ls.max = s.latency;
      }
      sum += s.latency;
      if (ls.period === 0 || s.time < ls.period) ls.period = s.time;
    }
    if (ls.samples) {
      ls.avg = Math.floor(sum / ls.samples);
      ls.period = now - ls.period;
      if (ls.period === 0) ls.period = 1;
    }
    sum = 0;
    for (const s of ts.samples) if (s.time !== 0) sum += Math.abs(ls.avg - s.latency);
    if (ls.samples) ls.mad = Math.floor(sum / ls.samples);
    return ls;
  }

  /** latencyCommandGenSparkeline: the header, 80 dashes, then the sparkline with "<n>s/m/h/d ago" labels. */
  graph(event: string, ts: TimeSeries, now = nowSec()): string {
    const seq: { value: number; label: string | null }[] = [];
    let min = 0;
    let max = 0;
    for (const s of this.samples(ts)) {
      if (seq.length === 0) min = max = s.latency;
      else {
        if (s.latency > max) max = s.latency;
        if (s.latency < min) min = s.latency;
      }
      const elapsed = now - s.time;
      const label =
        elapsed < 60
          ? `${elapsed}s`
          : elapsed < 3600
            ? `${Math.trunc(elapsed / 60)}m`
            : elapsed < 86400
              ? `${Math.trunc(elapsed / 3600)}h`
              : `${Math.trunc(elapsed / 86400)}d`;
      seq.push({ value: s.latency, label });
    }
    let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
    out += '-'.repeat(80) + '\n';
    return sparklineRender(out, seq, 80, 4);
  }

  /** createLatencyReport (LATENCY DOCTOR) */
  report(ctx: DoctorContext, now = nowSec()): string {
    if (this.events.size === 0 && ctx.threshold === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    const adv = new Set<string>();
    let advices = 0;
    let eventnum = 0;
    let out = '';
    for (const [event, ts] of this.events) {
      eventnum++;
      if (eventnum === 1) out += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      const ls = this.analyze(event, now);
      out += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${(ls.period / ls.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
      const e = event.toLowerCase();
      const flag = (...names: string[]) => {
        for (const n of names) adv.add(n);
        advices += names.length;
      };
      // no fork happens in redlua, so the "fork" event and its fork-rate remark never occur
      if (e === 'command') {
        if (ctx.slowlogSlowerThan < 0) flag('slowlog_enabled');
        else if (Math.trunc(ctx.slowlogSlowerThan / 1000) > ctx.threshold) flag('slowlog_tuning');
        flag('slowlog_inspect', 'large_objects');
      }
      if (e === 'fast-command') flag('scheduler');
      if (e === 'aof-write-pending-fsync') flag('local_disk', 'disk_contention', 'ssd', 'data_writeback');
      if (e === 'aof-write-active-child') flag('no_appendfsync', 'data_writeback', 'ssd');
      if (e === 'aof-write-alone') flag('local_disk', 'data_writeback', 'ssd');
      if (e === 'aof-fsync-always') flag('relax_fsync_policy');
      if (e === 'aof-fstat' || e === 'rdb-unlink-temp-file') flag('disk_contention', 'local_disk');
      if (e === 'aof-rewrite-diff-write' || e === 'aof-rename') flag('write_load_info', 'data_writeback', 'ssd', 'local_disk');
      if (e === 'expire-cycle') flag('hz', 'large_objects');
      if (e === 'eviction-del') flag('large_objects');
      if (e === 'eviction-cycle') flag('mass_eviction');
      out += '\n';
    }
    // THPGetAnonHugePagesSize: redlua does not read /proc/self/smaps, so the THP advice is never given
    if (eventnum === 0 && advices === 0) {
      return out + "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
    }
    if (eventnum > 0 && advices === 0) {
      return out + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
    }
    out += '\nI have a few advices for you:\n\n';
    const t1000 = ctx.threshold * 1000;
    if (adv.has('slowlog_enabled')) out += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${t1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
    if (adv.has('slowlog_tuning')) out += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${t1000}'.\n`;
    if (adv.has('slowlog_inspect')) out += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
    if (adv.has('scheduler')) {
      out +=
        '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
        '  1) Lower the system load.\n' +
        '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
        '  3) Check if you have a "noisy neighbour" problem.\n' +
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
        '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
    }
    if (adv.has('local_disk')) out += '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n';
    if (adv.has('ssd')) out += '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n';
    if (adv.has('data_writeback')) out += '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n';
    if (adv.has('disk_contention')) out += '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n';
    if (adv.has('no_appendfsync')) out += "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n";
    if (adv.has('relax_fsync_policy') && ctx.appendfsyncAlways) out += "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n";
    if (adv.has('write_load_info')) out += '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n';
    if (adv.has('hz') && ctx.hz < 100) out += "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
    if (adv.has('large_objects')) out += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
    if (adv.has('mass_eviction')) out += "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n";
    return out;
  }
}

// ---------- sparkline.c ----------

const CHARSET = '_-`';
const CHARSET_FILL = '_o#';

/** sparklineRenderRange with SPARKLINE_FILL (the only flag LATENCY GRAPH uses). */
function renderRange(out: string, seq: { value: number; label: string | null }[], min: number, max: number, rows: number, offset: number, len: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET.length * rows;
  const haveLabels = seq.some(s => s.label !== null);
  let row = 0;
  for (let loop = true; loop; ) {
    loop = false;
    const chars: string[] = Array(len).fill(' ');
    for (let j = 0; j < len; j++) {
      const s = seq[j + offset];
      const relval = s.value - min;
      let step = Math.trunc(Math.trunc(relval * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * CHARSET.length;
        loop = true;
        if (charidx >= 0 && charidx < CHARSET.length) chars[j] = CHARSET_FILL[charidx];
        else if (charidx >= CHARSET.length) chars[j] = '|';
      } else {
        if (haveLabels && row - rows < 1) {
          loop = true;
          break;
        }
        if (s.label !== null) {
          const labelChar = row - rows - 1;
          if (s.label.length > labelChar) {
            loop = true;
            chars[j] = s.label[labelChar];
          }
        }
      }
    }
    if (loop) {
      row++;
      out += chars.join('') + '\n';
    }
  }
  return out;
}

/** sparklineRender: the sequence cut into `columns`-wide ranges; min/max are the whole sequence's. */
function sparklineRender(out: string, seq: { value: number; label: string | null }[], columns: number, rows: number): string {
  let min = 0;
  let max = 0;
  seq.forEach((s, i) => {
    if (i === 0) min = max = s.value;
    else if (s.value < min) min = s.value;
    else if (s.value > max) max = s.value;
  });
  for (let j = 0; j < seq.length; j += columns) {
    const sublen = Math.min(seq.length - j, columns);
    if (j !== 0) out += '\n';
    out = renderRange(out, seq, min, max, rows, j, sublen);
  }
  return out;
}

// ---------- hdr_histogram (lowest 1, highest 1e9, 2 significant figures, as Redis creates it) ----------

const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_MASK = 255;
const BUCKET_COUNT = 23;
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;
export const HIST_MIN = 1;
export const HIST_MAX = 1_000_000_000;

/** 64 - clz64(v) for v < 2^53 */
function bitLength(v: number): number {
  return v < 2 ** 31 ? 32 - Math.clz32(v) : 32 + (32 - Math.clz32(Math.floor(v / 2 ** 32)));
}

/** get_bucket_index: 64 - clz(v | sub_bucket_mask) - 8 (v | 255 has v's bit length once v >= 256). */
function bucketIndex(v: number): number {
  return (v <= SUB_BUCKET_MASK ? 8 : bitLength(v)) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function subBucketIndex(v: number, bucket: number): number {
  return Math.floor(v / 2 ** bucket);
}

function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

function lowestEquivalent(v: number): number {
  const b = bucketIndex(v);
  return subBucketIndex(v, b) * 2 ** b;
}

function rangeSize(v: number): number {
  const b = bucketIndex(v);
  const sub = subBucketIndex(v, b);
  return 2 ** (sub >= SUB_BUCKET_COUNT ? b + 1 : b);
}

function highestEquivalent(v: number): number {
  return lowestEquivalent(v) + rangeSize(v) - 1;
}

export class Histogram {
  readonly counts = new Float64Array(COUNTS_LEN);
  total = 0;

  /** updateCommandLatencyHistogram: `ns` clamped to [1 ns, 1 s]. */
  record(ns: number): void {
    if (ns < HIST_MIN) ns = HIST_MIN;
    if (ns > HIST_MAX) ns = HIST_MAX;
    const b = bucketIndex(ns);
    const sub = subBucketIndex(ns, b);
    this.counts[((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub - SUB_BUCKET_HALF_COUNT)]++;
    this.total++;
  }

  /** hdr_value_at_percentile, in ns. */
  valueAtPercentile(p: number): number {
    const req = p < 100 ? p : 100;
    let want = Math.trunc((req / 100) * this.total + 0.5);
    if (want < 1) want = 1;
    let acc = 0;
    let v = 0;
    for (let i = 0; i < COUNTS_LEN; i++) {
      acc += this.counts[i];
      if (acc >= want) {
        v = valueAtIndex(i);
        break;
      }
    }
    return p === 0 ? lowestEquivalent(v) : highestEquivalent(v);
  }

  /**
   * fillCommandCDF's walk: hdr_iter_log_init(1024 ns, base 2). Returns [usec, cumulative count] for every reporting
   * step where the cumulative count grew.
   */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    let index = -1;
    let cumulative = 0;
    let value = 0;
    let highest = 0;
    let level = 1024;
    let levelLowest = lowestEquivalent(level);
    let previous = 0;
    const moveNext = (): boolean => {
      index++;
      if (index >= COUNTS_LEN) return false;
      cumulative += this.counts[index];
      value = valueAtIndex(index);
      highest = lowestEquivalent(value) + rangeSize(value) - 1;
      return true;
    };
    for (;;) {
      // log_iter_next
      const more = cumulative < this.total || (index < COUNTS_LEN && valueAtIndex(index + 1) > levelLowest);
      if (!more) break;
      for (;;) {
        if (value >= levelLowest) {
          level *= 2;
          levelLowest = lowestEquivalent(level);
          break;
        }
        if (!moveNext()) break;
      }
      if (cumulative > previous) out.push([Math.trunc(highest / 1000), cumulative]);
      previous = cumulative;
    }
    return out;
  }
}
