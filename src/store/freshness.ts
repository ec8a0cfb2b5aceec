/**
 * How fresh a cached read must be, for stores that cache (the sqlite adapter's ReadCache).
 *
 * A read must reflect every commit that finished before the input it serves reached this
 * process: an HTTP request, a live connection or a live message. A commit made through this
 * process is known at once; one made by another process can only be noticed by asking the
 * database, which costs the sqlite adapter a read transaction (SqliteDb.version). So a store
 * asks once and keeps the answer while this mark stands still. The mark moves:
 * - when an input arrives (the HTTP and live layers call inputArrived() before anything reads
 *   for it), so every input is served from an answer obtained after it arrived;
 * - when anything in this process commits (committedHere()), so a write is visible to the next
 *   read through any connection of the process;
 * - at the end of every event-loop iteration in which it was read, so work that is not an input
 *   (a timer) never sees an answer older than one iteration.
 * Within one input the answer is reused: a request that authenticates and then reads asks once.
 */
let mark = 0;
let expiryScheduled = false;

function expire(): void {
  expiryScheduled = false;
  mark++;
}

/** An HTTP request or live message arrived: what it reads must reflect commits made before now. */
export function inputArrived(): void {
  mark++;
}

/** A connection of this process committed (or a writer thread reported a commit). */
export const committedHere = inputArrived;

/** The current mark; a store's answer obtained under it is valid until the mark moves. */
export function freshnessMark(): number {
  if (!expiryScheduled) {
    expiryScheduled = true;
    setImmediate(expire);
  }
  return mark;
}
