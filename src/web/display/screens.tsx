import { SunMark } from '../components/shell.js';

/** Shown for good once the token is refused: no login form, just what happened and what to do. */
export function RevokedScreen() {
  return (
    <main class="tv-message" data-testid="display-revoked">
      <SunMark />
      <h1>This display was revoked</h1>
      <p>An admin switched off this screen’s access to Shine.</p>
      <p class="tv-small">To show Shine here again, an admin can create a new display in Shine under HR → TV displays and open its address on this screen.</p>
    </main>
  );
}

export function NoTokenScreen() {
  return (
    <main class="tv-message" data-testid="display-no-token">
      <SunMark />
      <h1>This screen is not set up yet</h1>
      <p>Open the display address an admin created in Shine under HR → TV displays.</p>
    </main>
  );
}

/** The calm empty state: the wall is connected and waiting for the first kudos. */
export function WaitingScreen({ starting }: { starting: boolean }) {
  return (
    <section class="tv-waiting" aria-live="polite" data-testid="display-waiting">
      <div class="tv-waiting-glow" aria-hidden="true">
        <SunMark />
      </div>
      <h1>{starting ? 'Starting…' : 'Waiting for the first kudos'}</h1>
      {!starting && <p>When someone thanks a colleague, it will appear here.</p>}
    </section>
  );
}
