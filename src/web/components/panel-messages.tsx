import type { ComponentChildren } from 'preact';

/**
 * A panel's outcome lines: the notice of what was just done, in a status paragraph that is always
 * in the page (empty until there is something to say), so that screen readers announce a notice
 * in a live region that already exists; then the error, as an alert, only while there is one.
 */
export function PanelMessages({ notice, error }: { notice: ComponentChildren; error: string | null }) {
  return (
    <>
      <p class="success-text" role="status">
        {notice}
      </p>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
