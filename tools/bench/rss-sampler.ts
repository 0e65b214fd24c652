import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Resident set size of a process in MB (Linux /proc), or null once it is gone. */
function rssMb(pid: number): number | null {
  const match = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) / 1024 : null;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The infrastructure servers and this load generator, found by command line, beside the services' own pids. */
function infrastructurePids(redisPort: string): Record<string, number> {
  const found: Record<string, number> = { 'load-generator': process.pid };
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmdline = read(`/proc/${entry}/cmdline`)?.replace(/\0/g, ' ') ?? '';
    if (cmdline.includes('kafka.Kafka ')) found['kafka'] = Number(entry);
    else if (cmdline.includes('MongoMain.java')) found['mongo-wire-server'] = Number(entry);
    else if (cmdline.startsWith('redis-server') && cmdline.includes(`:${redisPort}`)) found['redis-server'] = Number(entry);
  }
  return found;
}

export interface ResourceReport {
  /** Peak RSS of each service process, MB. */
  rssMb: Record<string, number>;
  /** CPU seconds each process used while sampling (services, servers, load generator). */
  cpuSeconds: Record<string, number>;
  wallSeconds: number;
}

/** Samples every service's RSS twice a second and everyone's CPU time; `stop()` reports peaks and CPU used. */
export function sampleResources(servicePids: Record<string, number>, redisUrl: string): { stop(): ResourceReport } {
  const everyone = { ...servicePids, ...infrastructurePids(new URL(redisUrl).port) };
  const cpuAtStart = Object.fromEntries(Object.entries(everyone).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const startedAt = performance.now();
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(servicePids)) {
      const value = rssMb(pid);
      if (value !== null) peaks[name] = Math.max(peaks[name] ?? 0, value);
    }
  };
  sample();
  const timer = setInterval(sample, 500);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        rssMb: Object.fromEntries(Object.entries(peaks).map(([name, peak]) => [name, Math.round(peak)])),
        cpuSeconds: Object.fromEntries(Object.entries(everyone).map(([name, pid]) => [name, +(cpuSeconds(pid) - (cpuAtStart[name] ?? 0)).toFixed(1)])),
        wallSeconds: +((performance.now() - startedAt) / 1000).toFixed(1),
      };
    },
  };
}
