/**
 * A small JSON Schema (2020-12) checker for the subset z.toJSONSchema emits, plus local $ref
 * ("#/components/schemas/Error") so OpenAPI documents can be checked as they are. Keywords it does
 * not know make it throw instead of passing silently: a checker that ignores a constraint
 * would let the test it serves pass for the wrong reason.
 */

export type JsonSchema = boolean | { [k: string]: unknown };

export interface SchemaProblem {
  path: string;
  message: string;
}

/** Pure annotations: they never reject a value. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);
const HANDLED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'prefixItems', 'enum', 'const',
  'anyOf', 'oneOf', 'allOf', 'not', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', '$ref',
  'minProperties', 'maxProperties',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const actual = typeOf(v);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return expected === actual;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`json-schema-check: only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`json-schema-check: unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node as JsonSchema;
}

class Checker {
  readonly problems: SchemaProblem[] = [];
  constructor(private readonly root: JsonSchema) {}

  private fail(path: string, message: string): void {
    this.problems.push({ path: path || '(root)', message });
  }

  /** Validates without recording: for anyOf/oneOf/not branches. */
  private passes(schema: JsonSchema, value: unknown, path: string): boolean {
    const sub = new Checker(this.root);
    sub.check(schema, value, path);
    return sub.problems.length === 0;
  }

  check(schema: JsonSchema, value: unknown, path: string): void {
    if (schema === true) return;
    if (schema === false) return this.fail(path, 'no value is allowed here');
    for (const key of Object.keys(schema)) {
      if (!HANDLED.has(key) && !ANNOTATIONS.has(key)) throw new Error(`json-schema-check: unsupported keyword "${key}" at ${path || '(root)'}`);
    }
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') this.check(resolveRef(this.root, s.$ref), value, path);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(t, value))) return this.fail(path, `expected ${types.join(' or ')}, got ${typeOf(value)}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) this.fail(path, `expected one of ${JSON.stringify(s.enum)}`);
    if ('const' in s && !deepEqual(s.const, value)) this.fail(path, `expected ${JSON.stringify(s.const)}`);
    this.combinators(s, value, path);
    if (typeof value === 'string') this.string(s, value, path);
    if (typeof value === 'number') this.number(s, value, path);
    if (Array.isArray(value)) this.array(s, value, path);
    else if (typeof value === 'object' && value !== null) this.object(s, value as Record<string, unknown>, path);
  }

  private combinators(s: Record<string, unknown>, value: unknown, path: string): void {
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as JsonSchema[]) this.check(sub, value, path);
    if (Array.isArray(s.anyOf) && !(s.anyOf as JsonSchema[]).some((sub) => this.passes(sub, value, path))) {
      this.fail(path, 'matches none of anyOf');
    }
    if (Array.isArray(s.oneOf)) {
      const n = (s.oneOf as JsonSchema[]).filter((sub) => this.passes(sub, value, path)).length;
      if (n !== 1) this.fail(path, `matches ${n} of oneOf (exactly 1 required)`);
    }
    if (s.not !== undefined && this.passes(s.not as JsonSchema, value, path)) this.fail(path, 'matches a "not" schema');
  }

  private string(s: Record<string, unknown>, v: string, path: string): void {
    const length = [...v].length; // JSON Schema counts code points, not UTF-16 units
    if (typeof s.minLength === 'number' && length < s.minLength) this.fail(path, `shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) this.fail(path, `longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) this.fail(path, `does not match ${s.pattern}`);
    if (s.format === 'date-time' && !DATE_TIME.test(v)) this.fail(path, 'not a date-time');
    if (s.format === 'email' && !EMAIL.test(v)) this.fail(path, 'not an email');
  }

  private number(s: Record<string, unknown>, v: number, path: string): void {
    if (typeof s.minimum === 'number' && v < s.minimum) this.fail(path, `less than ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) this.fail(path, `greater than ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) this.fail(path, `not greater than ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) this.fail(path, `not less than ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && !Number.isInteger(v / s.multipleOf)) this.fail(path, `not a multiple of ${s.multipleOf}`);
  }

  private array(s: Record<string, unknown>, v: unknown[], path: string): void {
    if (typeof s.minItems === 'number' && v.length < s.minItems) this.fail(path, `fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) this.fail(path, `more than ${s.maxItems} items`);
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) this.fail(path, 'items are not unique');
    const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as JsonSchema[]) : [];
    prefix.forEach((sub, i) => i < v.length && this.check(sub, v[i], join(path, i)));
    if (s.items !== undefined) v.slice(prefix.length).forEach((item, i) => this.check(s.items as JsonSchema, item, join(path, i + prefix.length)));
  }

  private object(s: Record<string, unknown>, v: Record<string, unknown>, path: string): void {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    const keys = Object.keys(v);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) this.fail(path, `fewer than ${s.minProperties} properties`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) this.fail(path, `more than ${s.maxProperties} properties`);
    for (const name of (s.required ?? []) as string[]) {
      if (!Object.hasOwn(v, name)) this.fail(join(path, name), 'is required');
    }
    for (const key of keys) {
      const at = join(path, key);
      if (s.propertyNames !== undefined) this.check(s.propertyNames as JsonSchema, key, `${at}(name)`);
      if (Object.hasOwn(props, key)) this.check(props[key] as JsonSchema, v[key], at);
      else if (s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) this.fail(at, 'is not an allowed property');
        else this.check(s.additionalProperties as JsonSchema, v[key], at);
      }
    }
  }
}

/**
 * Problems found when checking `value` against `schema` (empty when it conforms). `root` is the
 * document $refs resolve against (the OpenAPI document, or the schema itself).
 */
export function checkJsonSchema(schema: JsonSchema, value: unknown, root: JsonSchema = schema): SchemaProblem[] {
  const checker = new Checker(root);
  checker.check(schema, value, '');
  return checker.problems;
}
