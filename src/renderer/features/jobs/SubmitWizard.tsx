import { useEffect, useMemo, useState } from 'react';
import { Modal } from '../../ui/Modal';
import { useImageStore } from '../image/imageStore';
import { baseName } from './jobFormat';
import { useJobsStore } from './jobsStore';
import { formFields, initialValues, optionsToSubmit, type FormField, type FormValues } from './optionsForm';
import { loadRemoteApps, type RemoteApps } from './remoteApps';

function OptionInput({ field, value, onChange }: { field: FormField; value: string | boolean; onChange(v: string | boolean): void }) {
  const common = { id: `job-opt-${field.name}`, title: field.help, 'data-testid': `job-option-${field.name}` };
  switch (field.kind) {
    case 'boolean':
      return <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'enum':
      return (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {field.choices!.map((c) => (
            <option key={String(c)} value={String(c)}>
              {String(c)}
            </option>
          ))}
        </select>
      );
    case 'number':
    case 'integer':
      return (
        <input type="number" {...common} value={String(value)} step={field.kind === 'integer' ? 1 : 'any'}
          {...(field.min !== undefined ? { min: field.min } : {})} {...(field.max !== undefined ? { max: field.max } : {})}
          onChange={(e) => onChange(e.target.value)} />
      );
    default:
      return <input type="text" {...common} value={String(value)} placeholder={field.kind === 'list' ? 'comma-separated' : ''} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** Run a finder: images (the open one preselected), app, backend profile, the app's options as a form, a tag. */
export function SubmitWizard({ onClose }: { onClose(): void }) {
  const image = useImageStore((s) => s.image);
  const recent = useImageStore((s) => s.recent);
  const localApps = useJobsStore((s) => s.apps);
  const profiles = useJobsStore((s) => s.profiles);
  const [loadError, setLoadError] = useState<string | null>(null);
  const candidates = useMemo(() => {
    const paths = [...(image ? [image.path] : []), ...recent.map((r) => r.path)];
    return paths.filter((p, i) => paths.indexOf(p) === i);
  }, [image, recent]);
  const [chosen, setChosen] = useState<string[]>(() => (image ? [image.path] : []));
  const [extraPath, setExtraPath] = useState('');
  const [appId, setAppId] = useState('builtin');
  const [profile, setProfile] = useState('local');
  const [tag, setTag] = useState('');
  const [parts, setParts] = useState('1');
  const [presetName, setPresetName] = useState('');
  const [presetNote, setPresetNote] = useState<string | null>(null);
  const presets = useJobsStore((s) => s.presets);
  const [values, setValues] = useState<FormValues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const profileType = profiles.find((p) => p.name === profile)?.type;
  // a caesar-rest profile runs the service's apps (remote-only ones too), with the forms its describe generates
  const [remote, setRemote] = useState<Record<string, RemoteApps>>({});
  const remoteNow = profileType === 'caesar-rest' ? (remote[profile] ?? { state: 'loading' as const }) : undefined;
  useEffect(() => {
    if (profileType !== 'caesar-rest' || remote[profile]) return;
    let live = true;
    void loadRemoteApps(profile).then((r) => live && setRemote((old) => ({ ...old, [profile]: r })));
    return () => {
      live = false;
    };
  }, [profile, profileType, remote]);
  const apps = remoteNow ? (remoteNow.state === 'ready' ? remoteNow.apps : []) : localApps;
  const app = apps.find((a) => a.id === appId) ?? apps[0];

  useEffect(() => {
    useJobsStore.getState().loadChoices().catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));
    useJobsStore.getState().loadPresets().catch((err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)));
  }, []);
  // a distributed run needs Slurm (a job array) and an app that can cut and merge (the builtin finder)
  const canSplit = (profileType === 'slurm-rest' || profileType === 'slurm-ssh') && app?.id === 'builtin';
  const appPresets = presets.filter((p) => p.app === app?.id);
  const applyPreset = (name: string): void => {
    const p = appPresets.find((x) => x.name === name);
    if (!p || !app) return;
    setValues(initialValues({ ...app.optionsSchema, properties: Object.fromEntries(Object.entries(app.optionsSchema.properties).map(([k, s]) => [k, k in p.options ? { ...s, default: p.options[k] } : s])) }));
    setPresetName(name);
    setPresetNote(`preset "${name}" applied`);
  };
  const savePreset = async (): Promise<void> => {
    if (!app || presetName.trim() === '') return;
    setError(null);
    try {
      await useJobsStore.getState().savePreset(app.id, presetName.trim(), optionsToSubmit(app.optionsSchema, values));
      setPresetNote(`saved as preset "${presetName.trim()}"`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  useEffect(() => {
    if (app) setValues(initialValues(app.optionsSchema));
  }, [app]);

  const paths = [...chosen, ...(extraPath.trim() ? [extraPath.trim()] : [])];
  const submit = async (): Promise<void> => {
    if (!app || paths.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      const n = canSplit ? Number(parts) : 1;
      await useJobsStore.getState().submit({
        app: app.id, options: optionsToSubmit(app.optionsSchema, values), imagePaths: paths, profile,
        ...(tag.trim() ? { tag: tag.trim() } : {}), ...(Number.isInteger(n) && n > 1 ? { parts: n } : {}),
      });
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Run a finder" onClose={onClose} wide>
      <div data-testid="job-wizard">
        <h2 className="job-log-title">Images (one job each)</h2>
        <ul className="job-images">
          {candidates.length === 0 && <li className="muted">No image open: type a path below.</li>}
          {candidates.map((p) => (
            <li key={p} title={p}>
              <label>
                <input type="checkbox" checked={chosen.includes(p)} data-testid="job-image-choice"
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))} />{' '}
                {baseName(p)} {p === image?.path && <span className="muted">(open)</span>}
              </label>
            </li>
          ))}
        </ul>
        <div className="field">
          <span>Another image</span>
          <input type="text" value={extraPath} onChange={(e) => setExtraPath(e.target.value)} placeholder="/path/to/image.fits" style={{ width: '60%' }} />
        </div>
        <div className="field">
          <span>Finder</span>
          <select value={app?.id ?? ''} onChange={(e) => setAppId(e.target.value)} data-testid="job-app" disabled={apps.length === 0}>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
          {remoteNow?.state === 'loading' && <span className="muted" data-testid="job-remote-apps-loading"> asking the service for its apps…</span>}
          {remoteNow?.state === 'ready' && <span className="muted"> the service's apps</span>}
          {remoteNow?.state === 'failed' && (
            <>
              <div className="form-error" data-testid="job-remote-apps-error">{remoteNow.message}</div>
              <button onClick={() => setRemote(({ [profile]: _dropped, ...rest }) => rest)} data-testid="job-remote-apps-retry">Retry</button>
            </>
          )}
        </div>
        <div className="field">
          <span>Where</span>
          <select value={profile} onChange={(e) => setProfile(e.target.value)} data-testid="job-profile">
            {profiles.map((p) => (
              <option key={p.name} value={p.name} title={p.description}>
                {p.name} — {p.description}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span>Tag</span>
          <input type="text" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="optional label for these jobs" data-testid="job-tag" style={{ width: '60%' }} />
        </div>
        {canSplit && (
          <div className="field">
            <span title="Cut the image into this many parts run as a Slurm job array, then merge the catalogues">Parts</span>
            <input type="number" min={1} max={64} step={1} value={parts} onChange={(e) => setParts(e.target.value)} data-testid="job-parts" style={{ width: 70 }} />
            <span className="muted"> 1 = one job; N = a job array of N parts + a merge</span>
          </div>
        )}
        {app && (
          <div className="field">
            <span>Preset</span>
            <select value="" onChange={(e) => applyPreset(e.target.value)} data-testid="job-preset" disabled={appPresets.length === 0}>
              <option value="">{appPresets.length === 0 ? '(no presets for this finder)' : 'apply a preset…'}</option>
              {appPresets.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>{' '}
            <input type="text" value={presetName} onChange={(e) => setPresetName(e.target.value)} placeholder="preset name" data-testid="job-preset-name" style={{ width: 140 }} />{' '}
            <button onClick={() => void savePreset()} disabled={presetName.trim() === ''} data-testid="job-preset-save">
              Save as preset
            </button>
            {presetNote && <span className="muted" data-testid="job-preset-note"> {presetNote}</span>}
          </div>
        )}
        {app && (
          <>
            <h2 className="job-log-title">Options (hover for help; defaults preset)</h2>
            <div className="job-options">
              {formFields(app.optionsSchema).map((f) => (
                <div key={f.name} style={{ display: 'contents' }}>
                  <label htmlFor={`job-opt-${f.name}`} title={f.help}>
                    {f.name}
                  </label>
                  <OptionInput field={f} value={values[f.name] ?? ''} onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))} />
                </div>
              ))}
            </div>
          </>
        )}
        {(error ?? loadError) && (
          <div className="form-error" data-testid="job-submit-error">
            {error ?? loadError}
          </div>
        )}
        <div className="button-row">
          <button onClick={() => void submit()} disabled={!app || paths.length === 0 || busy} data-testid="job-submit">
            {busy ? 'Submitting…' : paths.length > 1 ? `Submit ${paths.length} jobs` : 'Submit'}
          </button>
          <button onClick={() => setValues(app ? initialValues(app.optionsSchema) : {})}>Defaults</button>
          <button onClick={onClose}>Cancel</button>
        </div>
      </div>
    </Modal>
  );
}
