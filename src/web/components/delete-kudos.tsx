import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import type { KudosView } from '../lib/types.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** The API lets a giver delete their own kudos this long after posting (DELETE /kudos/:id). */
export const DELETE_WINDOW_MS = 15 * 60_000;

/** Whether the "Delete" button belongs on this card: my own kudos, still inside the window. */
export function canDelete(k: KudosView, meId: string | undefined, now: number): boolean {
  return !!meId && k.giver.id === meId && now - Date.parse(k.createdAt) < DELETE_WINDOW_MS;
}

/**
 * "Delete" on one's own fresh kudos (a wrong colleague picked, a typo), with a confirmation: the
 * API has always allowed it, the feed offered no way to. A refusal (the 15 minutes ran out while
 * the dialog was open) is shown in the dialog, which stays open.
 */
export function DeleteKudos({ k, onDeleted }: { k: KudosView; onDeleted(k: KudosView): void }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" class="button-danger-quiet button-small" onClick={() => setAsking(true)}>
        Delete
      </button>
      {asking && (
        <ConfirmDialog
          title="Delete this kudos?"
          confirmLabel="Delete kudos"
          busyLabel="Deleting…"
          onCancel={() => setAsking(false)}
          onConfirm={async () => {
            await api<void>(`/kudos/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
            onDeleted(k);
          }}
        >
          <p>It disappears from the feed, profiles and TV walls, and no longer counts in this period’s scores. You can delete your own kudos only within 15 minutes of posting it.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
