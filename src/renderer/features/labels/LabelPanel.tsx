import { useEffect, useState } from 'react';
import type { SourceRow } from '../../../shared/contract/catalogues';
import { call } from '../../api/client';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { redoLabel, setLabel, undoLabel } from './labelActions';
import { classForDigit, useLabelStore } from './labelStore';

/** Labels of the focused source (or bulk on the selection): buttons mirror the keys, menus for class/morphology, a note field. */
export function LabelPanel() {
  const selection = useCatalogueStore((s) => s.selection);
  const focusId = useCatalogueStore((s) => s.focusId);
  const labelsVersion = useCatalogueStore((s) => s.labelsVersion);
  const { vocabularies, undoDepth, redoDepth, last, error, menu } = useLabelStore();
  const [row, setRow] = useState<SourceRow | null>(null);
  const [note, setNote] = useState('');

  useEffect(() => void useLabelStore.getState().loadVocabularies(), []);
  useEffect(() => {
    if (focusId === null) return setRow(null);
    let live = true;
    void call('catalogue.source', { sourceId: focusId }).then(
      (d) => live && (setRow(d.row), setNote(String(d.row.values['notes'] ?? ''))),
      () => live && setRow(null),
    );
    return () => {
      live = false;
    };
  }, [focusId, labelsVersion]);

  const ids = selection;
  const bulk = ids.length > 1;
  const v = row?.values ?? {};
  return (
    <section className="panel label-panel" data-testid="label-panel">
      <h2>
        Labels <span className="muted">{ids.length === 0 ? '— select a source' : bulk ? `— ${ids.length} selected` : `— ${String(v['name'] ?? focusId)}`}</span>
      </h2>
      {row && !bulk && (
        <div className="field">
          <span>
            {['sourceness', 'class', 'morphology'].map((f) =>
              v[f] ? (
                <span key={f} className={`label-chip ${String(v[f])}`} style={{ marginRight: 4 }} data-testid={`current-${f}`}>
                  {String(v[f])}
                </span>
              ) : null,
            )}
          </span>
        </div>
      )}
      <div className="label-menu">
        {vocabularies.sourceness.map((s) => (
          <button key={s} disabled={ids.length === 0} onClick={() => void setLabel(ids, 'sourceness', s)} title={`Key ${s[0]!.toLowerCase()}`}>
            {s}
          </button>
        ))}
        <button disabled={ids.length === 0} onClick={() => void setLabel(ids, 'sourceness', null)} title="Remove the sourceness label">
          clear
        </button>
      </div>
      <div className="field">
        <span>Class</span>
        <select disabled={ids.length === 0} value={!bulk && typeof v['class'] === 'string' ? v['class'] : ''} onChange={(e) => void setLabel(ids, 'class', e.target.value || null)}>
          <option value="">—</option>
          {vocabularies.class.map((c) => (
            <option key={c} value={c}>
              {c === 'UNKNOWN' ? '0 ' : `${vocabularies.class.filter((x) => x !== 'UNKNOWN').indexOf(c) + 1} `}
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <span>Morphology</span>
        <select
          disabled={ids.length === 0}
          value={!bulk && typeof v['morphology'] === 'string' ? v['morphology'] : ''}
          onChange={(e) => void setLabel(ids, 'morphology', e.target.value || null)}
        >
          <option value="">—</option>
          {vocabularies.morphology.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      {menu === 'morphology' && (
        <div className="label-menu" data-testid="morphology-menu">
          {vocabularies.morphology.map((m, i) => (
            <button key={m} onClick={() => (useLabelStore.getState().setMenu('none'), void setLabel(ids, 'morphology', m))}>
              {i + 1} {m}
            </button>
          ))}
        </div>
      )}
      <div className="field">
        <span>Note</span>
        <input
          className="search"
          style={{ flex: 1 }}
          value={note}
          disabled={ids.length === 0}
          ref={(el) => {
            if (el && menu === 'note') el.focus();
          }}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              void setLabel(ids, 'notes', note.trim() || null);
              useLabelStore.getState().setMenu('none');
              (e.target as HTMLInputElement).blur();
            } else if (e.key === 'Escape') {
              useLabelStore.getState().setMenu('none');
              (e.target as HTMLInputElement).blur();
            }
          }}
          onBlur={() => menu === 'note' && useLabelStore.getState().setMenu('none')}
          data-testid="note-input"
        />
      </div>
      <div className="button-row">
        <button disabled={undoDepth === 0} onClick={() => void undoLabel()} title="Ctrl/Cmd+Z">
          Undo
        </button>
        <button disabled={redoDepth === 0} onClick={() => void redoLabel()} title="Ctrl/Cmd+Shift+Z">
          Redo
        </button>
      </div>
      {(last || error) && (
        <div className={error ? 'form-error' : 'muted'} data-testid="label-status">
          {error ?? last}
        </div>
      )}
      <div className="keys">
        <kbd>r</kbd> REAL <kbd>f</kbd> FAKE <kbd>c</kbd> CANDIDATE · <kbd>1</kbd>–<kbd>9</kbd> class ({classForDigit(vocabularies.class, 1)}…) · <kbd>m</kbd> morphology ·{' '}
        <kbd>n</kbd> note · <kbd>Esc</kbd> deselect · shift-drag on the image selects a rectangle, alt-drag a lasso
      </div>
    </section>
  );
}
