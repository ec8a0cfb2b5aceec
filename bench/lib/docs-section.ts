import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces one generated section of a Markdown file, from its `## ` heading to the next `## `,
 * and leaves every other section (the hand-written ones included) as it was. A file without the
 * section gets it before the heading `before`, or at the end.
 */
export function replaceSection(path: string, heading: string, section: string, before?: string): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n\n';
  const at = (h: string) => old.search(new RegExp(`^${escape(h)}\\s*$`, 'm'));
  const start = at(heading);
  let next: string;
  if (start < 0) {
    const anchor = before === undefined ? -1 : at(before);
    next = anchor < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, anchor)}${section.trimEnd()}\n\n${old.slice(anchor)}`;
  } else {
    const headingEnd = old.indexOf('\n', start);
    const rest = headingEnd < 0 ? '' : old.slice(headingEnd);
    const end = rest.search(/^## /m);
    next = `${old.slice(0, start)}${section.trimEnd()}\n${end < 0 ? '' : `\n${rest.slice(end)}`}`;
  }
  writeFileSync(path, `${next.trimEnd()}\n`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
