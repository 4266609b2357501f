import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Who eats the cores: CPU seconds of the sidecar, RabbitMQ, MariaDB and this benchmark process
 * (stand-in, receivers, publisher) between `start()` and `stop()`, from /proc/<pid>/stat. The
 * broker and the database are shared with whatever else runs on the machine, so their share
 * includes other clients' work.
 */
export interface CpuShares {
  seconds: number;
  /** Cores used on average over the window (1.0 = one core busy), per process. */
  cores: Record<string, number>;
  /** CPU milliseconds per process over the window (for cost per delivery). */
  cpuMs: Record<string, number>;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function pidOf(name: string): number | undefined {
  try {
    const first = execFileSync('pgrep', ['-o', '-x', name]).toString().trim().split('\n')[0];
    return first === undefined || first === '' ? undefined : Number(first);
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in ms; undefined when it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

export function systemPids(): Record<string, number | undefined> {
  return { rabbitmq: pidOf('beam.smp'), mariadb: pidOf('mariadbd') ?? pidOf('mysqld') };
}

/** Busy CPU time of the whole machine (all cores), in ms, from /proc/stat. */
function machineBusyMs(): number {
  const fields =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
  const busy = fields.reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
  return (busy / TICKS_PER_SECOND) * 1000;
}

/**
 * Starts measuring. Besides the named processes, `other` is the rest of the machine's busy time
 * (other people's tests, the kernel): on a shared machine it says how much of the cores the
 * measured system did not get.
 */
export function startCpuMeter(pids: Record<string, number | undefined>): { stop(): CpuShares } {
  const read = (): Record<string, number> => {
    const usage = process.cpuUsage();
    const values: Record<string, number> = {
      bench: (usage.user + usage.system) / 1000,
      machine: machineBusyMs(),
    };
    for (const [name, pid] of Object.entries(pids)) {
      const ms = pid === undefined ? undefined : processCpuMs(pid);
      if (ms !== undefined) {
        values[name] = ms;
      }
    }
    return values;
  };
  const started = performance.now();
  const before = read();
  return {
    stop() {
      const after = read();
      const seconds = (performance.now() - started) / 1000;
      const cpuMs: Record<string, number> = {};
      const cores: Record<string, number> = {};
      let measured = 0;
      for (const [name, value] of Object.entries(after)) {
        if (name !== 'machine') {
          const used = value - (before[name] ?? value);
          measured += used;
          cpuMs[name] = Math.round(used);
          cores[name] = Number((used / 1000 / seconds).toFixed(2));
        }
      }
      const other = Math.max(0, (after.machine ?? 0) - (before.machine ?? 0) - measured);
      cpuMs.other = Math.round(other);
      cores.other = Number((other / 1000 / seconds).toFixed(2));
      return { seconds, cores, cpuMs };
    },
  };
}

/** CPU milliseconds per delivery: of each process, and of the measured system (all but `other`). */
export interface CostPerDelivery {
  byProcess: Record<string, number>;
  /** Sidecar, broker, database and benchmark process together: what one delivery costs the machine. */
  system: number;
}

export function costPerDelivery(cpu: CpuShares, deliveries: number): CostPerDelivery {
  const byProcess: Record<string, number> = {};
  let system = 0;
  for (const [name, ms] of Object.entries(cpu.cpuMs)) {
    byProcess[name] = ms / deliveries;
    // `other` is whatever else ran on the machine meanwhile, not the measured system.
    if (name !== 'other') {
      system += ms / deliveries;
    }
  }
  return { byProcess, system };
}

/** Resident set size of a process in MB, from /proc/<pid>/status; undefined when it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
