/**
 * Resolves after pending I/O (requests, sockets, timers) has had its turn: long work awaits it
 * between slices so that one request's work never holds the event loop for seconds.
 */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
