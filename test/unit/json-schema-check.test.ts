import { expect } from 'chai';
import { z } from 'zod';
import { errorBody, kudosView, userView } from '../../src/http/response.schema.js';
import { checkJsonSchema, type JsonSchema } from '../support/json-schema-check.js';

const out = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
const paths = (schema: JsonSchema, value: unknown, root?: JsonSchema) => checkJsonSchema(schema, value, root).map((p) => p.path);

const kudos = {
  id: 'k1',
  giver: { id: 'u1', name: 'Ada', team: 'Support' },
  recipients: [{ id: 'u2', name: 'Bo', team: 'Sales' }],
  behaviours: [{ key: 'thank-customers', name: 'Thank customers' }],
  message: 'Thanks!',
  visibility: 'public',
  createdAt: '2026-01-02T03:04:05.000Z',
  reactions: { '👏': 2 },
  myReactions: [],
  commentCount: 0,
};

describe('json-schema-check', () => {
  it('accepts a document that matches a zod-generated schema', () => {
    expect(checkJsonSchema(out(kudosView), kudos)).to.deep.equal([]);
    expect(checkJsonSchema(out(userView), { id: 'u', name: 'A', team: 'T', initials: 'A', active: true, managerId: null })).to.deep.equal([]);
  });

  it('rejects missing required fields, unknown fields and wrong types, naming the path', () => {
    const { message: _m, ...noMessage } = kudos;
    expect(paths(out(kudosView), noMessage)).to.deep.equal(['message']);
    expect(paths(out(kudosView), { ...kudos, secret: 1 })).to.deep.equal(['secret']);
    expect(paths(out(kudosView), { ...kudos, commentCount: '0' })).to.deep.equal(['commentCount']);
    expect(paths(out(kudosView), { ...kudos, commentCount: 1.5 })).to.deep.equal(['commentCount']);
    expect(paths(out(kudosView), { ...kudos, recipients: [{ id: 'u2', name: 'Bo' }] })).to.deep.equal(['recipients.0.team']);
    expect(paths(out(kudosView), [kudos])).to.deep.equal(['(root)']);
  });

  it('checks enums, record values, patterns and date-times', () => {
    expect(paths(out(kudosView), { ...kudos, visibility: 'secret' })).to.deep.equal(['visibility']);
    expect(paths(out(kudosView), { ...kudos, reactions: { '👏': -1 } })).to.deep.equal(['reactions.👏']);
    expect(paths(out(kudosView), { ...kudos, createdAt: 'yesterday' })).to.include('createdAt');
    const err = { error: { code: 'Not Snake', message: 'm', details: [] } };
    expect(paths(out(errorBody), err)).to.deep.equal(['error.code']);
    expect(paths(out(errorBody), { error: { code: 'x', message: 'm', details: [{ path: 'a' }] } })).to.deep.equal(['error.details.0.message']);
  });

  it('handles nullable type arrays, anyOf, oneOf and const', () => {
    const nullable = { type: ['string', 'null'] };
    expect(paths(nullable, null)).to.deep.equal([]);
    expect(paths(nullable, 3)).to.deep.equal(['(root)']);
    const anyOf = { anyOf: [{ type: 'string', minLength: 3 }, { type: 'null' }] };
    expect(paths(anyOf, 'abcd')).to.deep.equal([]);
    expect(paths(anyOf, 'ab')).to.deep.equal(['(root)']);
    const oneOf = { oneOf: [{ type: 'number' }, { type: 'integer' }] };
    expect(paths(oneOf, 1.5)).to.deep.equal([]);
    expect(paths(oneOf, 2), 'an integer matches both branches').to.deep.equal(['(root)']);
    expect(paths({ const: 'ok' }, 'ok')).to.deep.equal([]);
    expect(paths({ const: 'ok' }, 'OK')).to.deep.equal(['(root)']);
  });

  it('counts string length in code points and checks array bounds', () => {
    expect(paths({ type: 'string', maxLength: 2 }, '👏👏')).to.deep.equal([]);
    expect(paths({ type: 'string', maxLength: 2 }, '👏👏👏')).to.deep.equal(['(root)']);
    expect(paths({ type: 'array', minItems: 1, items: { type: 'string' } }, [])).to.deep.equal(['(root)']);
    expect(paths({ type: 'array', items: { type: 'string' } }, ['a', 2])).to.deep.equal(['1']);
  });

  it('resolves local $ref against the given root', () => {
    const root = { components: { schemas: { Error: out(errorBody) } } };
    const ref = { $ref: '#/components/schemas/Error' };
    expect(paths(ref, { error: { code: 'x', message: 'm', details: [] } }, root)).to.deep.equal([]);
    expect(paths(ref, { error: { code: 'x' } }, root)).to.have.members(['error.message', 'error.details']);
    expect(() => checkJsonSchema({ $ref: '#/nowhere' }, 1, root)).to.throw(/unresolvable/);
  });

  it('refuses keywords it does not implement instead of ignoring them', () => {
    expect(() => checkJsonSchema({ type: 'object', dependentRequired: { a: ['b'] } }, {})).to.throw(/unsupported keyword "dependentRequired"/);
  });
});
