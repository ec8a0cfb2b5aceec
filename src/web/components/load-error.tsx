import { focusSoon } from '../lib/focus.js';

/**
 * What a page section shows when its data could not be loaded: the sentence (announced as an
 * alert) and a "Try again" button. The button goes away while the request runs again, so the
 * keyboard is taken to `focusAfter` (an element id: something before this in the page that stays,
 * a picker or the section's heading) rather than dropped to the page body.
 */
export function LoadError({ message, onRetry, focusAfter }: { message: string; onRetry(): void; focusAfter: string }) {
  return (
    <>
      <p class="error-text" role="alert">
        {message}
      </p>
      <button
        type="button"
        class="button-secondary"
        onClick={() => {
          onRetry();
          focusSoon(focusAfter);
        }}
      >
        Try again
      </button>
    </>
  );
}
