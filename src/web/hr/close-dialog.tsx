import { ConfirmDialog } from '../components/confirm-dialog.js';
import { api } from '../lib/api.js';
import { formatUtcDay } from '../lib/format.js';
import type { Period } from '../lib/types.js';
import { lastDayOf } from './period-dates.js';

/** Closing cannot be undone, so the confirmation says in plain words what it does. */
export function CloseDialog({ period, onClosed, onCancel }: { period: Period; onClosed(p: Period): void; onCancel(): void }) {
  const close = async () => {
    const closed = await api<Period>(`/periods/${encodeURIComponent(period.id)}/close`, { method: 'POST' });
    onClosed({ ...period, ...closed, status: 'closed' });
  };
  return (
    <ConfirmDialog title={`Close “${period.name}”?`} confirmLabel="Close period for good" busyLabel="Closing…" onConfirm={close} onCancel={onCancel}>
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
