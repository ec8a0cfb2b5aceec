import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.js';

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
