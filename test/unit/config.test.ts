import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, projectRoot } from '../../src/config/config.js';
import { sqliteWriterFor } from '../../src/store/create-store.js';

describe('config: kudos rate limit', () => {
  const base = { NODE_ENV: 'test' };

  it('defaults to 30 kudos per 60 s and takes either half from the environment', () => {
    expect(loadConfig(base).kudosRateLimit).to.deep.equal({ windowSeconds: 60, perUser: 30 });
    expect(loadConfig({ ...base, SHINE_KUDOS_RATE_LIMIT: '100' }).kudosRateLimit).to.deep.equal({ windowSeconds: 60, perUser: 100 });
    expect(loadConfig({ ...base, SHINE_KUDOS_RATE_WINDOW: '3600' }).kudosRateLimit).to.deep.equal({ windowSeconds: 3600, perUser: 30 });
  });

  it('names the variable when a value is not a positive whole number', () => {
    for (const [name, value] of [['SHINE_KUDOS_RATE_WINDOW', '0'], ['SHINE_KUDOS_RATE_LIMIT', 'lots']] as const) {
      let thrown: unknown;
      try {
        loadConfig({ ...base, [name]: value });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(ConfigError);
      expect((thrown as Error).message).to.include(name);
    }
  });
});

describe('config: trust proxy and token lifetime', () => {
  const base = { NODE_ENV: 'test' };
  const problem = (env: Record<string, string>): string => {
    try {
      loadConfig({ ...base, ...env });
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as Error).message;
    }
    return '';
  };

  it('reads SHINE_TRUST_PROXY as Express does: booleans, hop counts, addresses and subnets', () => {
    expect(loadConfig({ ...base, SHINE_TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ ...base, SHINE_TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
    expect(loadConfig({ ...base, SHINE_TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    for (const ok of ['loopback', '10.0.0.5', 'loopback, 10.0.0.0/8', '10.0.0.0/255.0.0.0', 'fd00::/8, uniquelocal']) {
      expect(loadConfig({ ...base, SHINE_TRUST_PROXY: ok }).trustProxy, ok).to.equal(ok);
    }
  });

  it('lists a bad SHINE_TRUST_PROXY or a zero JWT_TTL with the other problems, before start-up', () => {
    expect(problem({ SHINE_TRUST_PROXY: 'garbage' })).to.include('SHINE_TRUST_PROXY: "garbage"');
    expect(problem({ SHINE_TRUST_PROXY: '10.0.0.0/33' })).to.include('SHINE_TRUST_PROXY');
    const both = problem({ SHINE_TRUST_PROXY: 'yes', PORT: 'abc' });
    expect(both).to.include('SHINE_TRUST_PROXY').and.to.include('PORT');
    expect(problem({ JWT_TTL: '0s' })).to.include('JWT_TTL');
  });
});

describe('config: documentation', () => {
  it('names every environment variable it reads in .env.example and in the README table', () => {
    const root = projectRoot();
    const source = readFileSync(join(root, 'src/config/config.ts'), 'utf8');
    // What loadConfig reads from its `env` (process.env.SHINE_CONFIG_DIR is the tests' own knob).
    const names = [...new Set([...source.matchAll(/(?<!process\.)\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string))];
    expect(names).to.include.members(['PORT', 'SHINE_KUDOS_RATE_WINDOW']);
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of names) {
      expect(example, `.env.example names ${name}`).to.match(new RegExp(`^#? ?${name}=`, 'm'));
      expect(readme, `README table names ${name}`).to.include(`\`${name}\``);
    }
  });
});

describe('config: metrics port', () => {
  it('refuses SHINE_METRICS_PORT equal to PORT, naming both, instead of failing to listen after start-up', () => {
    let thrown: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', PORT: '3000', SHINE_METRICS_PORT: '3000' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(ConfigError);
    expect((thrown as Error).message).to.include('SHINE_METRICS_PORT').and.to.include('PORT');
    expect(loadConfig({ NODE_ENV: 'test', PORT: '0', SHINE_METRICS_PORT: '0' }).metricsPort).to.equal(0);
    expect(loadConfig({ NODE_ENV: 'test', PORT: '3000', SHINE_METRICS_PORT: '9464' }).metricsPort).to.equal(9464);
  });
});

describe('config: sqlite writer', () => {
  const base = { NODE_ENV: 'test' };

  it('chooses by itself unless told where to commit', () => {
    expect(loadConfig(base).sqliteWriter).to.equal('auto');
    expect(loadConfig({ ...base, SHINE_SQLITE_WRITER: 'Thread' }).sqliteWriter).to.equal('thread');
    expect(loadConfig({ ...base, SHINE_SQLITE_WRITER: 'event-loop' }).sqliteWriter).to.equal('event-loop');
    expect(loadConfig({ ...base, SHINE_SQLITE_WRITER: ' ' }).sqliteWriter).to.equal('auto');
  });

  it('auto: the writer thread for one process with a core to spare, the event loop for several processes or one core', () => {
    const auto = { sqliteWriter: 'auto', redisUrl: null } as const;
    expect(sqliteWriterFor(auto, 2)).to.equal('thread');
    expect(sqliteWriterFor({ ...auto, redisUrl: 'redis://127.0.0.1:6379' }, 2)).to.equal('event-loop');
    expect(sqliteWriterFor(auto, 1)).to.equal('event-loop');
    expect(sqliteWriterFor({ sqliteWriter: 'thread', redisUrl: 'redis://127.0.0.1:6379' }, 1)).to.equal('thread');
    expect(sqliteWriterFor({ sqliteWriter: 'event-loop', redisUrl: null }, 8)).to.equal('event-loop');
  });

  it('names SHINE_SQLITE_WRITER when its value is neither', () => {
    expect(() => loadConfig({ ...base, SHINE_SQLITE_WRITER: 'worker' })).to.throw(ConfigError, 'SHINE_SQLITE_WRITER');
  });
});
