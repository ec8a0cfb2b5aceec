import type { ComponentChildren } from 'preact';
import { api } from '../lib/api.js';
import { clearSession, leaveAfterSignOut } from '../lib/session.js';
import { isHr } from '../lib/use-me.js';
import type { Me } from '../lib/types.js';
import { scoresPageTitle } from '../scores/scores-page-title.js';

type Section = 'feed' | 'profile' | 'scores' | 'hr' | 'other';

/** The small sun mark; decorative, so hidden from assistive technology. */
export function SunMark() {
  return (
    <svg class="sun-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="7" />
      <g stroke-width="2.5" stroke-linecap="round">
        <path d="M16 2v4M16 26v4M2 16h4M26 16h4M6.1 6.1l2.8 2.8M23.1 23.1l2.8 2.8M6.1 25.9l2.8-2.8M23.1 8.9l2.8-2.8" />
      </g>
    </svg>
  );
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: ComponentChildren }) {
  return (
    <a href={href} aria-current={current ? 'page' : undefined} class="nav-link">
      {children}
    </a>
  );
}

/** Header, navigation and the main landmark shared by the signed-in pages. */
export function Shell({ me, section, children }: { me: Me | null; section: Section; children: ComponentChildren }) {
  // Ends the account's sessions on the server (a copied token is useless afterwards), then here,
  // whatever the server answered: offline, signing out must still work on this device.
  const signOut = () => {
    void api('/auth/logout', { method: 'POST', redirectOn401: false })
      .catch(() => undefined)
      .finally(() => {
        clearSession();
        leaveAfterSignOut();
      });
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href="/">
          <SunMark />
          <span>Shine</span>
        </a>
        <nav aria-label="Main" class="main-nav">
          <NavLink href="/" current={section === 'feed'}>
            Feed
          </NavLink>
          {me && (
            <NavLink href={`/people/${encodeURIComponent(me.id)}`} current={section === 'profile'}>
              My profile
            </NavLink>
          )}
          {/* hr and admin read everyone's scores under HR; the others get their own view of /scores. */}
          {me && !isHr(me) && (
            <NavLink href="/scores" current={section === 'scores'}>
              {scoresPageTitle(me)}
            </NavLink>
          )}
          {isHr(me) && (
            <NavLink href="/hr" current={section === 'hr'}>
              HR
            </NavLink>
          )}
        </nav>
        <div class="session">
          {me && (
            <span class="session-name" data-testid="session-name">
              <bdi>{me.name}</bdi>
            </span>
          )}
          <button type="button" class="button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
