import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSection } from '../../bench/lib/docs-section.js';
import { useTempDir } from '../support/temp-dir.js';

// The benchmarks rewrite their own sections of docs/performance.md; the hand-written ones must survive.
describe('replaceSection (bench docs)', () => {
  const dir = useTempDir('shine-docs-');
  const file = () => dir('performance.md');

  it('replaces one section up to the next heading and keeps the others word for word', () => {
    writeFileSync(file(), '# Performance\n\n## HTTP and live\n\nold figures\n\n### Results\n\nold table\n\n## Scores\n\nscores\n\n## Node 24, by hand\n\nnotes (a + b)\n');
    replaceSection(file(), '## HTTP and live', '## HTTP and live\n\nnew figures\n');
    expect(readFileSync(file(), 'utf8')).to.equal('# Performance\n\n## HTTP and live\n\nnew figures\n\n## Scores\n\nscores\n\n## Node 24, by hand\n\nnotes (a + b)\n');
    replaceSection(file(), '## Scores', '## Scores\n\nnew scores\n');
    expect(readFileSync(file(), 'utf8')).to.equal('# Performance\n\n## HTTP and live\n\nnew figures\n\n## Scores\n\nnew scores\n\n## Node 24, by hand\n\nnotes (a + b)\n');
  });

  it('puts a missing section before the named heading, or at the end without one', () => {
    writeFileSync(file(), '# Performance\n\n## Scores\n\nscores\n');
    replaceSection(file(), '## HTTP and live', '## HTTP and live\n\nfigures\n', '## Scores');
    replaceSection(file(), '## Node 24 (by hand)', '## Node 24 (by hand)\n\nnotes\n');
    expect(readFileSync(file(), 'utf8')).to.equal('# Performance\n\n## HTTP and live\n\nfigures\n\n## Scores\n\nscores\n\n## Node 24 (by hand)\n\nnotes\n');
  });

  it('starts a file that does not exist yet', () => {
    replaceSection(file(), '## Scores', '## Scores\n\nscores\n');
    expect(readFileSync(file(), 'utf8')).to.equal('# Performance\n\n## Scores\n\nscores\n');
  });
});
