import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system, ms) used so far by these processes, from /proc; null where /proc is
 * missing. On a shared machine req/s moves with the neighbours' load, CPU per request much less.
 */
export function cpuMs(pids: readonly number[]): number | null {
  return ticksMs(pids.map((pid) => `/proc/${pid}/stat`));
}

/**
 * CPU time of these processes' main threads alone (a thread's id is its process's id for the
 * main thread): the event loop, which serves every request, apart from worker threads and GC helpers.
 */
export function mainThreadCpuMs(pids: readonly number[]): number | null {
  return ticksMs(pids.map((pid) => `/proc/${pid}/task/${pid}/stat`));
}

function ticksMs(statFiles: readonly string[]): number | null {
  try {
    let ticks = 0;
    for (const file of statFiles) {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const stat = readFileSync(file, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return (ticks / clockTicks()) * 1000;
  } catch {
    return null;
  }
}
