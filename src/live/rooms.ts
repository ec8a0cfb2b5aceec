/** Room names in one place, so emitters and joiners cannot drift apart. */
export const userRoom = (id: string) => `user:${id}`;
export const displayRoom = (id: string) => `display:${id}`;
export const DISPLAYS_ROOM = 'displays';
export const FEED_ALL = 'feed:all';
export const feedTeamRoom = (team: string) => `feed:team:${team}`;
/** hr/admin see private kudos too; they join one of these instead of nothing. */
export const PRIVILEGED_ALL = 'privileged:all';
export const privilegedTeamRoom = (team: string) => `privileged:team:${team}`;
/**
 * Where a new connection waits, in place of its user or display room, while the server checks its
 * credential again (live-server.ts): cut orders reach it there, events do not.
 */
export const checkingRoom = (room: string) => `checking:${room}`;
