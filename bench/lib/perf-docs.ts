import { replaceSection } from './docs-section.js';
import type { FanoutFigure } from './fanout-run.js';
import type { HttpFigure } from './http-run.js';
import { fixed, table } from './stats.js';

export const SECTION = '## HTTP and live';

export interface Verdict {
  label: string;
  pass: boolean;
  detail: string;
}

export const httpRows = (figures: HttpFigure[]): string[][] => [
  ['Run', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors', 'server CPU ms/req (main threads)'],
  ...figures.map((f) => [f.title, fixed(f.reqPerSec, 0), fixed(f.p50, 0), fixed(f.p99, 0), fixed(f.max, 0), String(f.total), String(f.non2xx), String(f.errors), `${fixed(f.cpuMsPerReq ?? Number.NaN, 2)}${typeof f.mainCpuMsPerReq === 'number' ? ` (${fixed(f.mainCpuMsPerReq, 2)})` : ''}`]),
];

export const fanoutRows = (figures: FanoutFigure[]): string[][] => [
  ['Run', 'clients', 'broadcasts', 'p50 ms', 'p99 ms', 'max ms', 'missing', 'disconnects', 'trigger answered p50 / max ms', 'server CPU ms/broadcast'],
  ...figures.map((f) => [
    f.title, String(f.clients), String(f.broadcasts), fixed(f.p50), fixed(f.p99), fixed(f.max), String(f.missing), String(f.disconnects),
    `${fixed(f.answerP50)} / ${fixed(f.answerMax)}`, fixed(f.cpuMsPerBroadcast ?? Number.NaN),
  ]),
];

export const verdictRows = (verdicts: Verdict[]): string[][] => [
  ['Target', 'Result', 'Measured'],
  ...verdicts.map((v) => [v.label, v.pass ? 'met' : '**missed**', v.detail]),
];

/** Replaces this benchmark's section of docs/performance.md; every other section stays as it was. */
export function writeSection(path: string, section: string): void {
  replaceSection(path, SECTION, section, '## Scores');
}

export { table };
