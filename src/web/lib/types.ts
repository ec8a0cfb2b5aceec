/**
 * The shapes the pages read from the API (API.md). Written out here rather than imported from
 * src/http so that the browser bundle never pulls in server code.
 */

export type Role = 'employee' | 'manager' | 'hr' | 'admin';

export interface PersonRef {
  id: string;
  name: string;
  team: string;
}

export interface UserView extends PersonRef {
  initials: string;
  active: boolean;
  email?: string;
  role?: Role;
  managerId?: string | null;
}

export interface Me extends UserView {
  email: string;
  role: Role;
}

export interface Behaviour {
  key: string;
  group: string;
  name: string;
  description: string;
  weight: number;
  active: boolean;
}

export interface KudosView {
  id: string;
  giver: PersonRef;
  recipients: PersonRef[];
  behaviours: { key: string; name: string }[];
  message: string;
  visibility: 'public' | 'private';
  createdAt: string;
  reactions: Record<string, number>;
  myReactions: string[];
  commentCount: number;
}

export interface KudosUpdate {
  id: string;
  reactions: Record<string, number>;
  commentCount: number;
}

export interface CommentView {
  id: string;
  kudosId: string;
  author: PersonRef;
  message: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface BehaviourCount {
  key: string;
  name: string;
  count: number;
}

export interface UserSummary {
  user: UserView;
  counts: {
    receivedTotal: number;
    givenTotal: number;
    receivedByBehaviour: BehaviourCount[];
    givenByBehaviour: BehaviourCount[];
  };
  recentReceived: KudosView[];
  recentGiven: KudosView[];
}

export interface DisplayStats {
  /** A team display's team (its totals are that team's); null for the whole company. */
  team: string | null;
  from: string;
  to: string;
  kudosCount: number;
  topBehaviours: BehaviourCount[];
  topRecipients: (PersonRef & { count: number })[];
  teams: { team: string; count: number }[];
}

export interface Period {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  status: 'open' | 'closed';
  createdAt?: string;
  closedAt?: string | null;
  closedBy?: string | null;
}

export interface Adjustment {
  rule: string;
  factor: number;
}

export interface ScoreLine {
  /** Both null on a manager's view of a private kudos between other people (`private: true`). */
  kudosId: string | null;
  giverId: string | null;
  /**
   * The giver's name from the server: frozen at close for a closed period, current for an open
   * one. Null with `giverId` on a hidden private line; null (or absent, from an older server)
   * when the server cannot name the giver: the page falls back to the directory then.
   */
  giverName?: string | null;
  private?: true;
  createdAt?: string;
  behaviours: string[];
  base: number;
  adjustments: Adjustment[];
  points: number;
}

export interface PersonScore {
  user: PersonRef;
  score: number;
  tier: string | null;
  eligible: boolean;
  distinctGivers: number;
  kudosReceived?: number;
  flags?: string[];
  breakdown: ScoreLine[];
}

export interface ScoringRules {
  weights?: Record<string, number>;
  allowancePerPeriod: number | null;
  repeatPairDamping: number;
  groupSplit: 'full' | 'equal' | 'sqrt';
  minDistinctGivers: number;
  reciprocalThreshold: number;
  reciprocalPenalty: number;
  tiers: { name: string; threshold: number }[];
}

/** GET /teams: a team spelled as its people's records spell it, with its active people. */
export interface TeamView {
  name: string;
  people: number;
}

export interface DisplayView {
  id: string;
  name: string;
  team: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  connected: boolean;
  /** Whether anyone active is in its team; null for a whole-company or revoked display. */
  teamHasPeople: boolean | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: { line: number; message: string }[];
}

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The insights payload is the server's own type: one definition, checked on both sides. */
export type { Insights, TeamInsight } from '../../domain/insights.js';
