import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../lib/errors.js';

interface Props {
  /** Shown as the heading, which names the dialog: a user-written name inside it goes in a <bdi>. */
  title: ComponentChildren;
  children: ComponentChildren;
  confirmLabel: string;
  busyLabel: string;
  /** Does the work; a thrown error is shown in the dialog, which then stays open. */
  onConfirm(): Promise<void>;
  onCancel(): void;
}

let seq = 0;

/**
 * A modal confirmation for actions that cannot be undone. The native <dialog> gives focus
 * trapping and Escape for free; the safe choice (Cancel) has the focus.
 */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useRef(`confirm-${++seq}`).current;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      onCancel={(e) => {
        // Escape: let the parent unmount us instead of leaving a closed dialog in the DOM.
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${ids}-title`}>{title}</h2>
      <div id={`${ids}-body`}>{children}</div>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="button-secondary" onClick={onCancel} autofocus>
          Cancel
        </button>
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
        <button type="button" class="button-danger" onClick={confirm} aria-disabled={busy ? 'true' : undefined}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
