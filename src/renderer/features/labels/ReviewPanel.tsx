import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { ReviewOrder, SourceRow } from '../../../shared/contract/catalogues';
import { call, toSerializedError } from '../../api/client';
import { describeError } from '../../ui/errorMessages';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { centreOn } from '../catalogue/viewerNav';
import type { FitsViewer } from '../viewer/fitsViewer';
import { setLabel, undoLabel } from './labelActions';
import { classForDigit, reviewZoom, useLabelStore } from './labelStore';
import { isTyping } from './useLabelKeys';

const SOURCENESS_KEYS: Record<string, string> = { r: 'REAL', f: 'FAKE', c: 'CANDIDATE' };
const NUMBERS: [string, string, (v: number) => string][] = [
  ['snr', 'S/N', (v) => v.toFixed(1)],
  ['peak', 'peak', (v) => `${(v * 1e3).toPrecision(3)} mJy/beam`],
  ['flux', 'flux', (v) => `${(v * 1e3).toPrecision(3)} mJy`],
  ['bmaj', 'bmaj', (v) => `${v.toFixed(1)}″`],
  ['bmin', 'bmin', (v) => `${v.toFixed(1)}″`],
  ['pa', 'PA', (v) => `${v.toFixed(0)}°`],
  ['ra', 'RA', (v) => `${v.toFixed(5)}°`],
  ['dec', 'Dec', (v) => `${v.toFixed(5)}°`],
];

/**
 * Review mode: a queue (unlabelled sources of the filtered set by S/N), the main viewer zoomed on each
 * source with it highlighted, its numbers, one key per sourceness that labels AND advances, class keys,
 * j/k or arrows to move, Ctrl/Cmd+Z to undo (and step back), and a progress counter.
 */
export function ReviewPanel({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const activeId = useCatalogueStore((s) => s.activeId);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const labelsVersion = useCatalogueStore((s) => s.labelsVersion);
  const vocabularies = useLabelStore((s) => s.vocabularies);
  const [order, setOrder] = useState<ReviewOrder>('snr-desc');
  const [queue, setQueue] = useState<{ ids: number[]; total: number; labelled: number } | null>(null);
  const [index, setIndex] = useState(0);
  const [row, setRow] = useState<SourceRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const labelledNow = useRef(new Set<number>());
  const [, bump] = useState(0);
  const state = useRef({ queue, index, row });
  state.current = { queue, index, row };

  useEffect(() => {
    if (activeId === null) return;
    setError(null);
    labelledNow.current = new Set();
    void call('review.queue', { catalogueId: activeId, ...(filter.trim() && !filterProblem ? { filter } : {}), order, unlabelledField: 'sourceness' }).then(
      (q) => {
        setQueue({ ids: q.sourceIds, total: q.total, labelled: q.labelled });
        setIndex(0);
      },
      (err: unknown) => {
        const d = describeError(toSerializedError(err));
        setError(`${d.title} ${d.detail}`);
      },
    );
  }, [activeId, filter, filterProblem, order]);

  const currentId = queue?.ids[index] ?? null;
  useEffect(() => {
    if (currentId === null) return setRow(null);
    let live = true;
    void call('catalogue.source', { sourceId: currentId }).then((d) => {
      if (!live) return;
      setRow(d.row);
      const { x, y } = d.row.values;
      const major = d.source.bmajPx ?? null;
      if (viewerRef.current && typeof x === 'number' && typeof y === 'number') centreOn(viewerRef.current, x, y, reviewZoom(major));
      useCatalogueStore.getState().select([currentId], currentId);
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [currentId, labelsVersion, viewerRef]);

  const move = (delta: number): void => {
    const q = state.current.queue;
    if (!q) return;
    setIndex((i) => Math.min(Math.max(0, i + delta), Math.max(0, q.ids.length - 1)));
  };

  const label = async (value: string): Promise<void> => {
    const id = state.current.queue?.ids[state.current.index];
    if (id === undefined) return;
    if (await setLabel([id], 'sourceness', value)) {
      labelledNow.current.add(id);
      bump((n) => n + 1);
      move(1);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target) || e.altKey) return;
      const consume = (): void => {
        e.preventDefault();
        e.stopImmediatePropagation();
      };
      const key = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && key === 'z') {
        consume();
        void undoLabel().then((changed) => {
          for (const id of changed) labelledNow.current.delete(id);
          bump((n) => n + 1);
          if (!e.shiftKey) move(-1);
        });
        return;
      }
      if (e.ctrlKey || e.metaKey) return;
      const id = state.current.queue?.ids[state.current.index];
      if (SOURCENESS_KEYS[key]) {
        consume();
        void label(SOURCENESS_KEYS[key]!);
      } else if (/^[0-9]$/.test(key)) {
        consume();
        const term = key === '0' ? 'UNKNOWN' : classForDigit(useLabelStore.getState().vocabularies.class, Number(key));
        if (term && id !== undefined) void setLabel([id], 'class', term);
      } else if (key === 'j' || e.key === 'ArrowRight' || e.key === 'ArrowDown') {
        consume();
        move(1);
      } else if (key === 'k' || e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
        consume();
        move(-1);
      } else if (e.key === 'Escape') {
        consume();
        useLabelStore.getState().setReviewOpen(false);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const v = row?.values ?? {};
  const labelled = (queue?.labelled ?? 0) + labelledNow.current.size;
  return (
    <div className="review-floating" data-testid="review-panel">
      <h2>
        <span>
          Review <span className="muted">unlabelled by</span>{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value as ReviewOrder)}>
            <option value="snr-desc">S/N, high first</option>
            <option value="snr-asc">S/N, low first</option>
            <option value="flux-desc">flux, high first</option>
          </select>
        </span>
        <button className="icon" onClick={() => useLabelStore.getState().setReviewOpen(false)} aria-label="Close review">
          ×
        </button>
      </h2>
      {error && <div className="form-error">{error}</div>}
      {queue && (
        <div className="review-panel">
          <div>
            <div className="progress" data-testid="review-progress" title="labelled / sources in the filtered set">
              {labelled} / {queue.total}
            </div>
            <div className="muted" data-testid="review-position">
              {queue.ids.length === 0 ? 'nothing left to review' : `queue ${index + 1} of ${queue.ids.length}`}
            </div>
            {row && (
              <table>
                <tbody>
                  <tr>
                    <td className="muted">name</td>
                    <td data-testid="review-name">{String(v['name'] ?? row.sourceId)}</td>
                  </tr>
                  {NUMBERS.map(([col, name, fmt]) =>
                    typeof v[col] === 'number' ? (
                      <tr key={col}>
                        <td className="muted">{name}</td>
                        <td>{fmt(v[col] as number)}</td>
                      </tr>
                    ) : null,
                  )}
                  <tr>
                    <td className="muted">labels</td>
                    <td>
                      {['sourceness', 'class', 'morphology'].map((f) =>
                        v[f] ? (
                          <span key={f} className={`label-chip ${String(v[f])}`} style={{ marginRight: 3 }}>
                            {String(v[f])}
                          </span>
                        ) : null,
                      )}
                    </td>
                  </tr>
                </tbody>
              </table>
            )}
          </div>
          <div className="keys" style={{ fontSize: 11, lineHeight: 1.7 }}>
            <div>
              <kbd>r</kbd> REAL · <kbd>f</kbd> FAKE · <kbd>c</kbd> CANDIDATE
            </div>
            <div className="muted">label and go to the next</div>
            <div>
              <kbd>1</kbd>–<kbd>9</kbd> class · <kbd>0</kbd> UNKNOWN
            </div>
            <div className="muted">{vocabularies.class.filter((c) => c !== 'UNKNOWN').slice(0, 4).join(', ')}…</div>
            <div>
              <kbd>j</kbd>/<kbd>→</kbd> next · <kbd>k</kbd>/<kbd>←</kbd> previous
            </div>
            <div>
              <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo · <kbd>Esc</kbd> close
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
