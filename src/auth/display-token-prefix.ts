/**
 * Display tokens are opaque random strings with this prefix, never JWTs. A module of its own,
 * without dependencies, so the TV wall's page can tell a display token from a person's token.
 */
export const DISPLAY_TOKEN_PREFIX = 'shd_';
