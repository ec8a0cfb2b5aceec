/**
 * People write names, teams, behaviours, periods, messages and comments in any script. On the
 * pages, a user-written string inside a sentence or list is wrapped in <bdi> (it takes its own
 * direction and cannot reorder the words and commas around it: "سلمى, نور and Bo" otherwise swaps
 * the two Arabic names), and a paragraph of it (a message, a comment) gets dir="auto". Where only
 * plain text fits on screen (an <option>, the audit log's details), `isolate` does what <bdi> does
 * with the Unicode first-strong isolate characters. Not in aria-labels or visually hidden text:
 * nothing is laid out there, and the invisible marks would only get in the way of matching names. Names cannot contain them (the API
 * refuses direction controls), so the pair always closes what it opened.
 */
export function isolate(s: string): string {
  return `\u2068${s}\u2069`;
}
