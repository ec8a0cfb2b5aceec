import type { QueryFilter, UpdateQuery } from 'mongoose';
import { nameKey } from '../../domain/name-key.js';
import { compareTeams } from '../../domain/teams.js';
import type { NewUser, Page, PageRequest, Role, TeamCount, User, UserFilter, UserPatch } from '../../domain/types.js';
import { guard } from './mongo-errors.js';
import type { UserDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

const CTX = { what: 'user' };

function toUser(d: UserDoc): User {
  return {
    id: d._id,
    name: d.name,
    email: d.email,
    team: d.team,
    role: d.role,
    managerId: d.managerId ?? null,
    active: d.active,
    tokenVersion: d.tokenVersion,
    passwordHash: d.passwordHash ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/**
 * A `$regex` pattern matching `text` literally (user input must not be a pattern). A string, not
 * a RegExp: the driver sends a RegExp's `source`, where JavaScript writes U+2028 and U+2029 as
 * `\u2028`, an escape MongoDB's PCRE rejects, and BSON cannot carry a NUL in a RegExp at all; either
 * made a search a 500 instead of a page. Metacharacters get a backslash and NUL is written `\x00`,
 * which mean the same to PCRE and to JavaScript; every other character stands for itself.
 */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

/** The directory query of listUsers: filters, substring search and the keyset after the cursor. */
export function userListFilter(filter: UserFilter, page: PageRequest): QueryFilter<UserDoc> {
  const and: QueryFilter<UserDoc>[] = [];
  if (!filter.includeInactive) and.push({ active: true });
  if (filter.team !== undefined) and.push({ team: filter.team });
  if (filter.q) {
    // Names match on their folded key (accents ignored), emails on the text lower-cased.
    const name = { $regex: literalPattern(nameKey(filter.q)) };
    const email = { $regex: literalPattern(filter.q.toLowerCase()) };
    and.push(filter.qEmail ? { $or: [{ nameKey: name }, { email }] } : { nameKey: name });
  }
  const after = page.after;
  if (after) and.push({ $or: [{ nameKey: { $gt: after.key } }, { nameKey: after.key, _id: { $gt: after.id } }] });
  return and.length > 0 ? { $and: and } : {};
}

function patchUpdate(p: UserPatch): UpdateQuery<UserDoc> {
  const set: Partial<UserDoc> = { updatedAt: p.updatedAt };
  if (p.name !== undefined) Object.assign(set, { name: p.name, nameKey: nameKey(p.name) });
  if (p.email !== undefined) set.email = p.email.toLowerCase();
  if (p.team !== undefined) set.team = p.team;
  if (p.role !== undefined) set.role = p.role;
  if (p.managerId !== undefined) set.managerId = p.managerId;
  if (p.active !== undefined) set.active = p.active;
  if (p.passwordHash !== undefined) set.passwordHash = p.passwordHash;
  return p.bumpTokenVersion ? { $set: set, $inc: { tokenVersion: 1 } } : { $set: set };
}

/** People: the users collection and the directory listing. */
export class MongoUsers {
  constructor(private readonly m: Models) {}

  createUser(u: NewUser): Promise<User> {
    const doc: UserDoc = {
      _id: u.id,
      name: u.name,
      nameKey: nameKey(u.name),
      email: u.email.toLowerCase(),
      team: u.team,
      role: u.role,
      managerId: u.managerId,
      active: true,
      tokenVersion: 0,
      passwordHash: u.passwordHash,
      createdAt: u.createdAt,
      updatedAt: u.createdAt,
    };
    return guard(async () => {
      await this.m.users.create(doc);
      return toUser(doc);
    }, CTX);
  }

  getUser(id: string): Promise<User | null> {
    return guard(async () => {
      const d = await this.m.users.findById(id).lean<UserDoc>();
      return d ? toUser(d) : null;
    });
  }

  getUserByEmail(email: string): Promise<User | null> {
    return guard(async () => {
      const d = await this.m.users.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
      return d ? toUser(d) : null;
    });
  }

  /** In the order asked for, duplicates once, absent ids skipped. */
  getUsersByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return guard(async () => {
      const docs = await this.m.users.find({ _id: { $in: [...new Set(ids)] } }).lean<UserDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, toUser(d)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    });
  }

  updateUser(id: string, patch: UserPatch): Promise<User | null> {
    return guard(async () => {
      const d = await this.m.users
        .findOneAndUpdate({ _id: id }, patchUpdate(patch), { returnDocument: 'after' })
        .lean<UserDoc>();
      return d ? toUser(d) : null;
    }, CTX);
  }

  listUsers(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    return guard(async () => {
      const docs = await this.m.users
        .find(userListFilter(filter, page))
        .sort({ nameKey: 1, _id: 1 })
        .limit(page.limit + 1)
        .lean<UserDoc[]>();
      const items = docs.slice(0, page.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toUser),
        next: docs.length > page.limit && last ? { key: last.nameKey, id: last._id } : null,
      };
    });
  }

  allUsers(): Promise<User[]> {
    return guard(async () => (await this.m.users.find({}).sort({ _id: 1 }).lean<UserDoc[]>()).map(toUser));
  }

  countUsers(filter: { role?: Role; activeOnly?: boolean }): Promise<number> {
    const q: QueryFilter<UserDoc> = {};
    if (filter.role !== undefined) q.role = filter.role;
    if (filter.activeOnly) q.active = true;
    return guard(() => this.m.users.countDocuments(q).exec());
  }

  /** Grouped by MongoDB; only the distinct teams (tens to hundreds) are sorted here, by nameKey. */
  listTeams(): Promise<TeamCount[]> {
    return guard(async () => {
      const rows = await this.m.users.aggregate<{ _id: string; people: number }>([
        { $match: { active: true } },
        { $group: { _id: '$team', people: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ name: r._id, people: r.people })).sort(compareTeams);
    });
  }
}
