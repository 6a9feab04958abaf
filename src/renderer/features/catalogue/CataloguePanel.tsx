import { Fragment, useState } from 'react';
import { useCatalogueStore } from './catalogueStore';
import { StyleEditor } from './StyleEditor';
import { useLabelStore } from '../labels/labelStore';

/** Sidebar list of catalogues: which is active (table, filter, labels), each one's colour and visibility; open, review, export. */
export function CataloguePanel() {
  const catalogues = useCatalogueStore((s) => s.catalogues);
  const activeId = useCatalogueStore((s) => s.activeId);
  const styles = useCatalogueStore((s) => s.styles);
  const st = useCatalogueStore.getState();
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="panel" data-testid="catalogue-panel">
      <h2>Catalogues</h2>
      <ul className="catalogue-list">
        {catalogues.map((c) => (
          <Fragment key={c.catalogueId}>
          <li className={c.catalogueId === activeId ? 'active' : ''}>
            <input
              type="checkbox"
              checked={styles[c.catalogueId]?.visible !== false}
              onChange={(e) => st.setStyle(c.catalogueId, { visible: e.target.checked })}
              title="Show on the image"
            />
            <input type="color" value={styles[c.catalogueId]?.colour ?? '#00e5ff'} onChange={(e) => st.setStyle(c.catalogueId, { colour: e.target.value })} title="Colour of unlabelled sources" />
            <span className="cat-name" onClick={() => st.setActive(c.catalogueId)} title={`${c.name} — ${c.finder}, ${c.sourceCount} sources, ${c.componentCount} components`}>
              {c.name} <span className="muted">({c.sourceCount.toLocaleString('en-US')})</span>
            </span>
            <button
              className={`icon${styles[c.catalogueId]?.colourBy || styles[c.catalogueId]?.sizeBy ? ' on' : ''}`}
              title="Colour and size rules"
              onClick={() => setEditing(editing === c.catalogueId ? null : c.catalogueId)}
              data-testid={`style-button-${c.catalogueId}`}
            >
              ◐
            </button>
            <button className="icon" title="Remove from the project" onClick={() => confirm(`Remove catalogue ${c.name} and its labels?`) && void st.remove(c.catalogueId)}>
              ×
            </button>
          </li>
          {editing === c.catalogueId && (
            <li className="style-li">
              <StyleEditor catalogueId={c.catalogueId} />
            </li>
          )}
          </Fragment>
        ))}
      </ul>
      <div className="button-row">
        <button onClick={() => st.setDialog('openCatalogue')} data-testid="open-catalogue-button" title="Open a catalogue (Ctrl+Shift+O)">
          Open catalogue…
        </button>
        <button disabled={activeId === null} onClick={() => useLabelStore.getState().setReviewOpen(true)} data-testid="review-button" title="Review queue (Shift+R)">
          Review…
        </button>
        <button disabled={activeId === null} onClick={() => st.setDialog('export')} data-testid="export-button" title="Export (Ctrl+E)">
          Export…
        </button>
      </div>
      <div className="muted" style={{ marginTop: 4 }}>
        Colours: <span style={{ color: '#4caf50' }}>REAL</span> · <span style={{ color: '#f44336' }}>FAKE</span> · <span style={{ color: '#ffd600' }}>CANDIDATE</span> · dashed = fitted component
      </div>
    </section>
  );
}
