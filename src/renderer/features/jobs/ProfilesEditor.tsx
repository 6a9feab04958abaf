import { useEffect, useState } from 'react';
import type { ProfileDetails, ProfileInfo, ProfileSecretField, ProfileTestResult } from '../../../shared/contract/jobs';
import { call } from '../../api/client';
import { Modal } from '../../ui/Modal';
import { formToSettings, PROFILE_FIELDS, PROFILE_SECRETS, PROFILE_TYPES, settingsToForm, type ProfileFormValues, type ProfileType } from './profileForm';
import { useJobsStore } from './jobsStore';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Editing {
  /** undefined = a new profile. */
  original?: ProfileDetails;
  name: string;
  type: ProfileType;
  values: ProfileFormValues;
  /** Typed secrets (sent once on save, then cleared), or null = forget the stored one. */
  secrets: Partial<Record<ProfileSecretField, string | null>>;
}

/**
 * Backend profiles (settings): list, add, edit, delete, test connection. Secrets typed here go to the main process
 * and are never shown again — the list says only that one is stored, and how it is protected.
 */
export function ProfilesEditor({ onClose }: { onClose(): void }) {
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [protection, setProtection] = useState<ProfileDetails['secretProtection'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ProfileTestResult | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = async (): Promise<void> => {
    setProfiles(await call('jobs.profiles', {}));
    void useJobsStore.getState().loadChoices().catch(() => undefined);
  };
  useEffect(() => {
    reload().catch((err: unknown) => setError(message(err)));
    // how this mode keeps secrets (the same for every profile): ask through the built-in profile
    call('jobs.profile', { name: 'local' }).then((d) => setProtection(d.secretProtection), () => undefined);
  }, []);

  const open = async (name: string): Promise<void> => {
    setError(null);
    setTest(null);
    try {
      const d = await call('jobs.profile', { name });
      setProtection(d.secretProtection);
      const type = (PROFILE_TYPES as readonly string[]).includes(d.type) ? (d.type as ProfileType) : 'slurm-rest';
      setEditing({ original: d, name, type, values: settingsToForm(type, d.settings), secrets: {} });
    } catch (err) {
      setError(message(err));
    }
  };
  const startNew = (): void => {
    setError(null);
    setTest(null);
    setEditing({ name: '', type: 'slurm-rest', values: settingsToForm('slurm-rest', {}), secrets: {} });
  };
  const act = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  const save = () => act(async () => {
    if (!editing) return;
    const base = editing.original && editing.original.type === editing.type ? editing.original.settings : {};
    const settings = formToSettings(editing.type, editing.values, base);
    const secrets = Object.fromEntries(Object.entries(editing.secrets).filter(([, v]) => v === null || (typeof v === 'string' && v !== '')));
    await call('jobs.saveProfile', { name: editing.name.trim(), settings, ...(Object.keys(secrets).length ? { secrets } : {}) });
    await reload();
    await open(editing.name.trim());
  });
  const remove = () => act(async () => {
    if (!editing?.original) return;
    await call('jobs.deleteProfile', { name: editing.original.name });
    setEditing(null);
    await reload();
  });
  const runTest = () => act(async () => {
    if (!editing?.original) return;
    setTest(null);
    setTest(await call('jobs.testProfile', { name: editing.original.name }));
  });

  const set = (patch: Partial<Editing>) => setEditing((e) => (e ? { ...e, ...patch } : e));
  return (
    <Modal title="Backend profiles" onClose={onClose} wide>
      <div className="profiles-editor" data-testid="profiles-editor">
        <ul className="profile-list">
          {profiles.map((p) => (
            <li key={p.name} className={editing?.original?.name === p.name ? 'active' : ''} data-testid="profile-item" data-name={p.name}>
              <button className="link" disabled={p.editable === false} onClick={() => void open(p.name)} title={p.description}>
                {p.name}
              </button>{' '}
              <span className="muted">{p.type}</span>
              {p.hasSecret && <span className="profile-secret" data-testid="profile-has-secret" title="A secret is stored in the app (never shown)"> secret stored</span>}
            </li>
          ))}
          <li>
            <button onClick={startNew} data-testid="profile-new">New profile…</button>
          </li>
        </ul>
        {editing && (
          <div className="profile-form">
            <div className="job-options">
              <label htmlFor="profile-name">Profile name</label>
              <input id="profile-name" type="text" value={editing.name} disabled={!!editing.original} data-testid="profile-name"
                onChange={(e) => set({ name: e.target.value })} />
              <label htmlFor="profile-type">Type</label>
              <select id="profile-type" value={editing.type} data-testid="profile-type"
                onChange={(e) => { const type = e.target.value as ProfileType; set({ type, values: settingsToForm(type, formToSettingsSafe(editing)), secrets: {} }); }}>
                {PROFILE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
              {PROFILE_FIELDS[editing.type].map((f) => (
                <div key={f.key} style={{ display: 'contents' }}>
                  <label htmlFor={`profile-${f.key}`} title={f.help}>{f.label}</label>
                  {f.kind === 'boolean' ? (
                    <input id={`profile-${f.key}`} type="checkbox" checked={editing.values[f.key] === true} data-testid={`profile-field-${f.key}`}
                      onChange={(e) => set({ values: { ...editing.values, [f.key]: e.target.checked } })} />
                  ) : f.kind === 'mappings' ? (
                    <textarea id={`profile-${f.key}`} rows={2} title={f.help} value={String(editing.values[f.key] ?? '')} data-testid={`profile-field-${f.key}`}
                      placeholder="/scratch/me = /mnt/scratch" onChange={(e) => set({ values: { ...editing.values, [f.key]: e.target.value } })} />
                  ) : (
                    <input id={`profile-${f.key}`} type={f.kind === 'number' ? 'number' : 'text'} title={f.help} value={String(editing.values[f.key] ?? '')}
                      data-testid={`profile-field-${f.key}`} onChange={(e) => set({ values: { ...editing.values, [f.key]: e.target.value } })} />
                  )}
                </div>
              ))}
              {PROFILE_SECRETS[editing.type].map(({ field, label }) => {
                const stored = editing.original?.type === editing.type && editing.original.secrets[field] === true && editing.secrets[field] !== null;
                return (
                  <div key={field} style={{ display: 'contents' }}>
                    <label htmlFor={`profile-secret-${field}`}>{label}</label>
                    <span>
                      <input id={`profile-secret-${field}`} type="password" autoComplete="off" data-testid={`profile-secret-${field}`}
                        value={typeof editing.secrets[field] === 'string' ? (editing.secrets[field] as string) : ''}
                        placeholder={stored ? 'stored — type to replace' : 'not stored'}
                        onChange={(e) => set({ secrets: { ...editing.secrets, [field]: e.target.value } })} />
                      {stored && (
                        <button className="small" onClick={() => set({ secrets: { ...editing.secrets, [field]: null } })} data-testid={`profile-forget-${field}`}>
                          Forget
                        </button>
                      )}
                    </span>
                  </div>
                );
              })}
            </div>
            {PROFILE_SECRETS[editing.type].length > 0 && (
              <div className="muted profile-protection" data-testid="profile-protection">
                {protection === 'encrypted'
                  ? 'Secrets stay in the app: encrypted with your operating system keychain, never shown again.'
                  : 'Secrets stay in the app (never shown again), in a file only your user can read (mode 0600) in the data folder: this mode has no OS keychain.'}
              </div>
            )}
            {test && (
              <div className={test.ok ? 'profile-test ok' : 'form-error'} data-testid="profile-test-result">
                {test.ok ? '✓ ' : '✗ '}
                {test.message}
              </div>
            )}
            <div className="button-row">
              <button onClick={() => void save()} disabled={busy || editing.name.trim() === ''} data-testid="profile-save">Save</button>
              <button onClick={() => void runTest()} disabled={busy || !editing.original} data-testid="profile-test" title="Save first, then test the saved profile">
                Test connection
              </button>
              <button onClick={() => void remove()} disabled={busy || !editing.original} data-testid="profile-delete">Delete</button>
            </div>
          </div>
        )}
      </div>
      {error && <div className="form-error" data-testid="profile-error">{error}</div>}
      <div className="button-row">
        <button onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}

/** The current form as settings, for carrying common fields across a type change (bad numbers dropped). */
function formToSettingsSafe(e: Editing): Record<string, unknown> {
  try {
    return formToSettings(e.type, e.values);
  } catch {
    return {};
  }
}
