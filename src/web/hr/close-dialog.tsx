import { ConfirmDialog } from '../components/confirm-dialog.js';
import { api, ApiError } from '../lib/api.js';
import { formatUtcDay } from '../lib/format.js';
import type { Period } from '../lib/types.js';
import { lastDayOf } from './period-dates.js';

/** Closing cannot be undone, so the confirmation says in plain words what it does. */
export function CloseDialog({ period, onClosed, onCancel }: { period: Period; onClosed(p: Period): void; onCancel(): void }) {
  const path = `/periods/${encodeURIComponent(period.id)}/close`;
  const close = async () => {
    try {
      const closed = await api<Period>(path, { method: 'POST' });
      onClosed({ ...period, ...closed, status: 'closed' });
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      // A proxy gave up before the close answered (it takes seconds for a large company), or a
      // retry found it done: the period itself says whether it is closed.
      const now = await api<Period>(`/periods/${encodeURIComponent(period.id)}`).catch(() => null);
      if (now?.status === 'closed') return onClosed(now);
      // Shine cannot be reached to ask, or says closed while the period reads open: its own words say more.
      if (now === null || (err instanceof ApiError && err.code === 'period_closed')) throw err;
      throw new Error('Closing took longer than the connection allowed, and the period is not closed yet. Shine may still be closing it: wait a minute, then press the button again. A period is never closed twice.');
    }
  };
  return (
    <ConfirmDialog
      title={
        <>
          Close “<bdi>{period.name}</bdi>”?
        </>
      }
      confirmLabel="Close period for good"
      busyLabel="Closing… (a large company takes a while)"
      onConfirm={close}
      onCancel={onCancel}
    >
      <p>
        Closing freezes this period’s results ({formatUtcDay(period.startsAt)} to {formatUtcDay(lastDayOf(period.endsAt))}) exactly as they are now:
      </p>
      <ul>
        <li>Scores, tiers and eligibility are stored and will not change again.</li>
        <li>Later edits to kudos, people, the behaviour catalog or the scoring rules will not alter this period.</li>
        <li>The payroll CSV becomes final: every download is byte-for-byte identical, with a SHA-256 checksum.</li>
      </ul>
      <p>
        <strong>This cannot be undone.</strong>
      </p>
    </ConfirmDialog>
  );
}

/** The close may have happened: already closed (a retry), or no answer from Shine itself (a gateway's 502/504, the network). */
function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.code === 'period_closed' || err.code === 'network_error' || err.status === 502 || err.status === 504;
}
