import type { LiveStatus } from '../lib/live.js';

const TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  online: 'Live',
  offline: 'Offline, reconnecting…',
};

/** A small status pill: whether new kudos will appear by themselves right now. */
export function LiveBadge({ status }: { status: LiveStatus }) {
  return (
    <span class={`live-badge live-${status}`} role="status" data-status={status}>
      <span class="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
