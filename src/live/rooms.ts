/** Room names in one place, so emitters and joiners cannot drift apart. */
export const userRoom = (id: string) => `user:${id}`;
export const displayRoom = (id: string) => `display:${id}`;
export const DISPLAYS_ROOM = 'displays';
export const FEED_ALL = 'feed:all';
export const feedTeamRoom = (team: string) => `feed:team:${team}`;
/** hr/admin see private kudos too; they join one of these instead of nothing. */
export const PRIVILEGED_ALL = 'privileged:all';
export const privilegedTeamRoom = (team: string) => `privileged:team:${team}`;
/** A user's own private kudos that concern one team, for a connection narrowed to that team. */
export const ownTeamRoom = (userId: string, team: string) => `own:${userId}:team:${team}`;
/**
 * Where a connection hears the cut orders for its user or display room, and nothing else
 * (live-orders.ts). It waits there while its credential is checked again (live-server.ts), and
 * stays: a user connection narrowed to one team leaves its user room, which carries its own
 * private kudos of every team, and must still be cut.
 */
export const cutsRoom = (room: string) => `cuts:${room}`;
