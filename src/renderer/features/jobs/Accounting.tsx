import { useCallback, useEffect, useState } from 'react';
import type { CaesarRestAccounting } from '../../../shared/contract/caesarRest';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';

type Row = { name: string; usage?: CaesarRestAccounting; error?: string };

/** KiB as a short size. */
export function kibText(kib: number | undefined): string {
  if (kib === undefined) return '–';
  if (kib < 1024) return `${Math.round(kib)} KiB`;
  if (kib < 1024 * 1024) return `${(kib / 1024).toFixed(1)} MiB`;
  return `${(kib / 1024 / 1024).toFixed(2)} GiB`;
}

function hours(s: number): string {
  return s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

/**
 * Usage on each caesar-rest service the user has a profile for (the service's /accounting): jobs by state, stored
 * data and job folders, run time. Nothing is shown when there is no caesar-rest profile.
 */
export function AccountingPanel() {
  const [rows, setRows] = useState<Row[]>([]);
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const profiles = (await call('jobs.profiles', {})).filter((p) => p.type === 'caesar-rest');
      setRows(
        await Promise.all(
          profiles.map(async (p): Promise<Row> => {
            try {
              return { name: p.name, usage: await call('jobs.accounting', { name: p.name }) };
            } catch (err) {
              const d = describeError(toSerializedError(err));
              return { name: p.name, error: `${d.title}: ${d.detail}` };
            }
          }),
        ),
      );
    } catch {
      setRows([]);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (rows.length === 0) return null;
  return (
    <div className="job-accounting" data-testid="job-accounting">
      <h3>
        caesar-rest usage{' '}
        <button className="small" onClick={() => void load()} disabled={loading} title="Ask the services again">
          Refresh
        </button>
      </h3>
      {rows.map((r) => (
        <div key={r.name} className="job-accounting-row" data-testid="job-accounting-row" data-profile={r.name}>
          <strong>{r.name}</strong>{' '}
          {r.usage ? (
            <span title={`computed ${r.usage.timestamp}`}>
              {r.usage.njobs} jobs ({r.usage.completed} done, {r.usage.failed} failed, {r.usage.running} running, {r.usage.pending} pending
              {r.usage.aborted + r.usage.other ? `, ${r.usage.aborted + r.usage.other} other` : ''}) · data {kibText(r.usage.datasizeKiB)} · jobs{' '}
              {kibText(r.usage.jobsizeKiB)} · run time {hours(r.usage.runtimeS)}
            </span>
          ) : (
            <span className="error-inline">{r.error}</span>
          )}
        </div>
      ))}
    </div>
  );
}
