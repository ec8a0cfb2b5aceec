import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from '../components/shell.js';
import { AuditPanel } from '../hr/audit-panel.js';
import { CatalogPanel } from '../hr/catalog-panel.js';
import { DisplaysPanel } from '../hr/displays-panel.js';
import { ImportPanel } from '../hr/import-panel.js';
import { PeriodsPanel } from '../hr/periods-panel.js';
import { RulesPanel } from '../hr/rules-panel.js';
import { api } from '../lib/api.js';
import type { Behaviour } from '../lib/types.js';
import { usePeopleNames } from '../lib/use-people-names.js';
import { isHr, useMe } from '../lib/use-me.js';

const SECTIONS = [
  ['periods', 'Periods & scores'],
  ['rules', 'Scoring rules'],
  ['behaviours', 'Behaviours'],
  ['people', 'Import people'],
  ['displays', 'TV displays'],
  ['audit', 'Audit log'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

const sectionFromHash = (): SectionId => {
  const h = location.hash.slice(1);
  return SECTIONS.some(([id]) => id === h) ? (h as SectionId) : 'periods';
};

function HrPage() {
  const me = useMe();
  const [section, setSection] = useState<SectionId>(sectionFromHash);
  const [catalog, setCatalog] = useState<Behaviour[]>([]);
  const allowed = isHr(me);
  const names = usePeopleNames(allowed);

  useEffect(() => {
    const on = () => setSection(sectionFromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    if (allowed) api<Behaviour[]>('/behaviours').then(setCatalog, () => setCatalog([]));
  }, [allowed]);

  if (me && !allowed) {
    return (
      <Shell me={me} section="hr">
        <div class="card">
          <h1>HR</h1>
          <p>This page is for HR and admins. You can still give kudos and see your profile.</p>
          {/* Managers land here looking for their team's scores: point them to the page that has them. */}
          <p>
            <a href="/scores">{me.role === 'manager' ? 'Your team’s scores' : 'Your score'}</a> · <a href="/">Back to the feed</a>
          </p>
        </div>
      </Shell>
    );
  }

  const catalogMap = new Map(catalog.map((b) => [b.key, b]));
  return (
    <Shell me={me} section="hr">
      <h1>HR</h1>
      <div class="hr-layout">
        <nav aria-label="HR sections" class="side-nav">
          <ul>
            {SECTIONS.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`} aria-current={section === id ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="hr-content">
          {!me && <p class="hint">Loading…</p>}
          {me && section === 'periods' && <PeriodsPanel names={names} catalog={catalogMap} />}
          {me && section === 'rules' && <RulesPanel />}
          {me && section === 'behaviours' && <CatalogPanel catalog={catalog} onChange={setCatalog} />}
          {me && section === 'people' && <ImportPanel />}
          {me && section === 'displays' && <DisplaysPanel isAdmin={me.role === 'admin'} />}
          {me && section === 'audit' && <AuditPanel names={names} />}
        </div>
      </div>
    </Shell>
  );
}

render(<HrPage />, document.getElementById('app') as HTMLElement);
