import type { ComponentChildren } from 'preact';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { PanelMessages } from '../components/panel-messages.js';
import { allPages, api, ApiError } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import type { DisplayView } from '../lib/types.js';
import { EditDisplayDialog } from './edit-display-dialog.js';
import { fieldErrors } from './field-errors.js';
import { useTeams } from '../lib/use-teams.js';

/** How often the list asks again which screens are on air and when each was last seen. */
const REFRESH_MS = 15_000;

interface Created {
  name: string;
  url: string;
  qr: string | null;
}

/** The just-created display's address, shown once: the token cannot be read again later. */
function CreatedDisplay({ created, onDone }: { created: Created; onDone(): void }) {
  const [copied, setCopied] = useState<'yes' | 'by-hand' | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.url);
      return setCopied('yes');
    } catch {
      // No clipboard API outside a secure context: Shine served over plain http on an office
      // network, where the button used to do nothing at all. Copy the selected field instead.
    }
    const input = field.current;
    input?.focus();
    input?.select();
    setCopied(input && document.execCommand('copy') ? 'yes' : 'by-hand');
  };
  return (
    <div class="card created-display" role="status" data-testid="created-display">
      <h3>
        “<bdi>{created.name}</bdi>” is ready
      </h3>
      <p>
        Open this address on the TV (or scan the code with it). <strong>It is shown only once</strong>: copy it now. Anyone with it can see the public feed, so treat it like a key.
      </p>
      <div class="created-display-body">
        {created.qr && <img src={created.qr} width={220} height={220} alt={`QR code for the display address of ${created.name}`} class="qr" />}
        <div class="field">
          <label for="display-url">Display address</label>
          <input id="display-url" ref={field} readOnly value={created.url} class="mono" onFocus={(e) => e.currentTarget.select()} aria-describedby="display-url-copy" />
          <p id="display-url-copy" class="hint">
            {copied === 'by-hand' ? 'This browser would not copy it: the address is selected, press Ctrl+C (⌘C on a Mac) to copy it.' : ''}
          </p>
          <div class="form-actions">
            <button type="button" class="button-secondary" onClick={copy}>
              {copied === 'yes' ? 'Copied' : 'Copy address'}
            </button>
            <button type="button" class="button-quiet" onClick={onDone}>
              I have saved it
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}

/** TV displays (admin only): create one and get its address once, see which are connected, edit, revoke. */
export function DisplaysPanel({ isAdmin }: { isAdmin: boolean }) {
  const [displays, setDisplays] = useState<DisplayView[] | null>(null);
  const [name, setName] = useState('');
  const [team, setTeam] = useState('');
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the server said about each field: "The request body is invalid." alone did not say which, or why.
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<ComponentChildren>(null);
  const [revoking, setRevoking] = useState<DisplayView | null>(null);
  const [editing, setEditing] = useState<DisplayView | null>(null);
  // A team display shows the kudos of a team spelled exactly as its people's: offer those spellings.
  const teams = useTeams();

  // Its own error: a refresh that failed while the server was away must not outlive the next one that works.
  const [listError, setListError] = useState<string | null>(null);
  const reload = () =>
    allPages<DisplayView>('/displays').then(
      (list) => {
        setDisplays(list);
        setListError(null);
      },
      (err: unknown) => setListError(describeError(err)),
    );
  useEffect(() => {
    if (!isAdmin) return;
    void reload();
    // An admin setting a screen up watches for it to come on air: without this the list kept
    // saying "Not connected" and "Never" until the page was reloaded.
    const every = setInterval(() => document.visibilityState === 'visible' && void reload(), REFRESH_MS);
    return () => clearInterval(every);
  }, [isAdmin]);

  if (!isAdmin) {
    return (
      <section aria-labelledby="displays-title">
        <h2 id="displays-title">TV displays</h2>
        <p>Only an admin can create or revoke TV displays. Ask your Shine administrator.</p>
      </section>
    );
  }

  const create = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the display a name, such as “Lobby TV”.');
    setError(null);
    setErrors({});
    setNotice(null);
    try {
      const r = await api<DisplayView & { token: string }>('/displays', { method: 'POST', body: { name: name.trim(), team: team.trim() || null } });
      const url = `${location.origin}/display?token=${encodeURIComponent(r.token)}`;
      const qr = await QRCode.toDataURL(url, { margin: 2, width: 440, errorCorrectionLevel: 'M' }).catch(() => null);
      setCreated({ name: r.name, url, qr });
      setName('');
      setTeam('');
      void reload();
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(describeError(err));
    }
  };
  const fieldError = (field: 'name' | 'team') =>
    errors[field] ? (
      <p id={`display-${field}-error`} class="error-text">
        {errors[field]}
      </p>
    ) : null;
  const invalid = (field: 'name' | 'team') => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `display-${field}-error` } : {});

  const revoke = async (d: DisplayView) => {
    try {
      await api<void>(`/displays/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
    } catch (err) {
      // 404: revoked meanwhile (another admin, another tab). What was asked for is done.
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    setRevoking(null);
    setNotice(
      <>
        “<bdi>{d.name}</bdi>” was revoked.
      </>,
    );
    void reload();
  };

  const saved = (d: DisplayView) => {
    setEditing(null);
    setNotice(`“${d.name}” was saved${d.team ? `: it shows ${d.team}` : ': it shows the whole company'}.`);
    void reload();
  };

  return (
    <section aria-labelledby="displays-title">
      <h2 id="displays-title">TV displays</h2>
      {created ? (
        <CreatedDisplay created={created} onDone={() => setCreated(null)} />
      ) : (
        <form class="card inline-form" onSubmit={create} noValidate>
          <div class="field">
            <label for="display-name">Display name</label>
            <input id="display-name" value={name} maxLength={120} placeholder="Lobby TV" onInput={(e) => setName(e.currentTarget.value)} {...invalid('name')} />
            {fieldError('name')}
          </div>
          <div class="field">
            <label for="display-team">Only this team (optional)</label>
            <input id="display-team" list="display-team-options" value={team} maxLength={80} placeholder="Whole company" onInput={(e) => setTeam(e.currentTarget.value)} {...invalid('team')} />
            {fieldError('team')}
            <datalist id="display-team-options">
              {teams.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
          <button type="submit" class="button-primary">
            Create display
          </button>
        </form>
      )}
      <PanelMessages notice={notice} error={error} />
      {listError && (
        <p class="error-text" role="alert">
          {listError}
        </p>
      )}
      {displays && displays.length === 0 && <p class="hint">No displays yet.</p>}
      {/* Named by its caption: the section around it is already "TV displays", and landmark names must differ. */}
      {displays && displays.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="displays-caption">
          <table class="table">
            <caption id="displays-caption" class="visually-hidden">TV displays and their status</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {displays.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <bdi>{d.name}</bdi>
                  </th>
                  <td>
                    {d.team ? <bdi>{d.team}</bdi> : 'Everyone'}
                    {d.teamHasPeople === false && <p class="hint">No one is in this team now (renamed or emptied?): its wall shows no new kudos. Edit it to point it at the team’s new name.</p>}
                  </td>
                  <td>{d.revokedAt ? <span class="status-pill closed">Revoked</span> : d.connected ? <span class="status-pill open">On air</span> : <span class="status-pill">Not connected</span>}</td>
                  <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : 'Never'}</td>
                  <td>
                    {!d.revokedAt && (
                      <div class="row-actions">
                        <button type="button" class="button-secondary button-small" onClick={() => setEditing(d)}>
                          Edit<span class="visually-hidden"> {d.name}</span>
                        </button>
                        <button type="button" class="button-danger-quiet button-small" onClick={() => setRevoking(d)}>
                          Revoke<span class="visually-hidden"> {d.name}</span>
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <EditDisplayDialog display={editing} teams={teams} onSaved={saved} onCancel={() => setEditing(null)} />}
      {revoking && (
        <ConfirmDialog title={
            <>
              Revoke “<bdi>{revoking.name}</bdi>”?
            </>
          } confirmLabel="Revoke display" busyLabel="Revoking…" onConfirm={() => revoke(revoking)} onCancel={() => setRevoking(null)}>
          <p>The screen switches to a “this display was revoked” notice at once, and its address stops working for good. To show Shine there again, create a new display.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
