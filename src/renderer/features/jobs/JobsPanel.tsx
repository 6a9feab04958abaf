import { useEffect, useState } from 'react';
import { TERMINAL_JOB_STATES } from '../../../shared/contract/jobs';
import { Modal } from '../../ui/Modal';
import { AccountingPanel } from './Accounting';
import { baseName, elapsedText, STATE_COLOURS } from './jobFormat';
import { useJobsStore } from './jobsStore';
import { ProfilesEditor } from './ProfilesEditor';
import './jobs.css';

/** Ticks once a second while some job is still going, so elapsed times move. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return active ? now : Date.now();
}

/** Sidebar list of finder jobs: state, app, image, elapsed time, tag; cancel, logs, and the result on the image. */
export function JobsPanel() {
  const jobs = useJobsStore((s) => s.jobs);
  const error = useJobsStore((s) => s.error);
  const profilesOpen = useJobsStore((s) => s.profilesOpen);
  const st = useJobsStore.getState();
  const running = jobs.some((j) => !TERMINAL_JOB_STATES.includes(j.state));
  const now = useNow(running);
  return (
    <section className="panel" data-testid="jobs-panel">
      <h2>
        Jobs <span className="muted">({jobs.length})</span>
      </h2>
      {jobs.length === 0 && <div className="muted">No jobs yet: run a finder on the image.</div>}
      <ul className="job-list">
        {jobs.slice(0, 50).map((j) => (
          <li key={j.id} data-testid="job-row" data-state={j.state} data-job-id={j.id} title={[j.profile, ...j.messages.slice(-3)].join('\n')}>
            <div className="job-line">
              <span className="job-state" style={{ color: STATE_COLOURS[j.state] }} data-testid="job-state">
                {j.state}
              </span>
              <span className="job-app">{j.app}</span>
              <span className="job-image">{j.inputs.map(baseName).join(', ')}</span>
              <span className="job-elapsed muted">{elapsedText(j, now)}</span>
            </div>
            {j.progress && !TERMINAL_JOB_STATES.includes(j.state) && (
              <div className="job-progress" data-testid="job-progress" title={j.progress.text}>
                <div className="job-progress-bar" style={{ width: `${Math.round((j.progress.fraction ?? 0) * 100)}%` }} />
                <span>{j.progress.text}</span>
              </div>
            )}
            <div className="job-line">
              {j.tag ? <span className="job-tag">{j.tag}</span> : <span className="muted">{j.backend}</span>}
              {j.parts && <span className="muted" title="distributed: a Slurm job array of parts + a merge">{j.parts} parts</span>}
              <span className="spacer" />
              {!TERMINAL_JOB_STATES.includes(j.state) && (
                <button className="small" onClick={() => void st.cancel(j.id)} data-testid="job-cancel">
                  Cancel
                </button>
              )}
              <button className="small" onClick={() => void st.showLogs(j.id)} data-testid="job-logs">
                Logs
              </button>
              {j.state === 'SUCCESS' && j.catalogueId !== undefined && (
                <button className="small" onClick={() => void st.showResult(j.id)} data-testid="job-show" title="Select the imported catalogue and show it on the image">
                  Show on image
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {error && (
        <div className="error-inline" onClick={() => st.setError(null)} title="Click to dismiss">
          {error}
        </div>
      )}
      <div className="button-row">
        <button onClick={() => st.setWizardOpen(true)} data-testid="job-new-button">
          Run finder…
        </button>
        <button onClick={() => st.setProfilesOpen(true)} data-testid="profiles-button" title="Where jobs run: Slurm clusters, containers">
          Profiles…
        </button>
      </div>
      <AccountingPanel />
      {profilesOpen && <ProfilesEditor onClose={() => st.setProfilesOpen(false)} />}
    </section>
  );
}

/** stdout/stderr of one job (the last 64 KiB of each), with the job's messages. */
export function JobLogsModal() {
  const jobId = useJobsStore((s) => s.logsJobId);
  const logs = useJobsStore((s) => s.logs);
  const job = useJobsStore((s) => s.jobs.find((j) => j.id === s.logsJobId));
  if (!jobId) return null;
  const close = () => void useJobsStore.getState().showLogs(null);
  return (
    <Modal title={`Job logs — ${job ? `${job.app} on ${job.inputs.map(baseName).join(', ')}` : jobId}`} onClose={close} wide>
      {job && (
        <pre className="job-log" data-testid="job-messages">
          {job.messages.join('\n')}
        </pre>
      )}
      {!logs ? (
        <div className="muted">Loading…</div>
      ) : (
        <>
          <h2 className="job-log-title">stderr</h2>
          <pre className="job-log" data-testid="job-stderr">{logs.stderr || '(empty)'}</pre>
          <h2 className="job-log-title">stdout</h2>
          <pre className="job-log" data-testid="job-stdout">{logs.stdout || '(empty)'}</pre>
        </>
      )}
      <div className="button-row">
        <button onClick={() => void useJobsStore.getState().showLogs(jobId)}>Reload</button>
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}
