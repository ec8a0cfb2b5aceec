/**
 * Interface icons as inline SVG, so they look the same everywhere and never depend on an emoji
 * font being installed (reactions themselves are emoji: those are the people's choice).
 */
const common = { class: 'icon', viewBox: '0 0 24 24', 'aria-hidden': true, focusable: 'false', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;

export const IconComment = () => (
  <svg {...common}>
    <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.4A8 8 0 1 1 21 12z" />
  </svg>
);

export const IconSmilePlus = () => (
  <svg {...common}>
    <path d="M20.9 11A9 9 0 1 1 13 3.1" />
    <path d="M8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01M16 5h6M19 2v6" />
  </svg>
);

export const IconLock = () => (
  <svg {...common}>
    <rect x="4" y="11" width="16" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </svg>
);
