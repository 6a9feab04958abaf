import { useEffect, useState } from 'react';
import { useCatalogueStore } from '../catalogue/catalogueStore';
import { useDefinitionsStore } from './definitionsStore';
import { joinFilter, splitDefinition, subsetRef, type Join } from './filterText';

/**
 * Saved subsets (save the filter or the selection under a name; combine them in the filter with and/or/not)
 * and computed columns (`name = expression`) of the active catalogue.
 */
export function SubsetsPanel() {
  const activeId = useCatalogueStore((s) => s.activeId);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const selection = useCatalogueStore((s) => s.selection);
  const { subsets, columns, error, errorPosition } = useDefinitionsStore();
  const defs = useDefinitionsStore.getState();
  const [name, setName] = useState('');
  const [join, setJoin] = useState<Join>('&&');
  const [definition, setDefinition] = useState('');

  useEffect(() => {
    void useDefinitionsStore.getState().load(activeId);
  }, [activeId]);
  if (activeId === null) return null;

  const setFilter = useCatalogueStore.getState().setFilter;
  const define = async (): Promise<void> => {
    const d = splitDefinition(definition);
    if (!d) {
      useDefinitionsStore.setState({ error: 'Write a definition as name = expression, e.g. ratio = flux / peak', errorPosition: null });
      return;
    }
    if (await defs.defineColumn(d.name, d.expression)) setDefinition('');
  };
  // A parse error's position is in the expression; show the caret under the typed definition.
  const eq = definition.indexOf('=');
  const rhs = definition.slice(eq + 1);
  const caretAt = errorPosition !== null && eq >= 0 ? eq + 1 + (rhs.length - rhs.trimStart().length) + errorPosition : null;

  return (
    <section className="panel" data-testid="subsets-panel">
      <h2>Subsets and columns</h2>
      <ul className="catalogue-list">
        {subsets.map((s) => (
          <li key={s.name}>
            <span className="cat-name" title={s.expression ? `made from: ${s.expression}` : 'made from a selection'} onClick={() => setFilter(joinFilter(filter, subsetRef(s.name), join))} data-testid={`subset-${s.name}`}>
              {s.name} <span className="muted">({s.memberCount.toLocaleString('en-US')})</span>
            </span>
            <button className="icon" title="Delete this subset" onClick={() => void defs.removeSubset(s.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {subsets.length > 0 && (
        <div className="field">
          <span className="muted">Click adds to the filter with</span>{' '}
          <select value={join} onChange={(e) => setJoin(e.target.value as Join)} data-testid="subset-join">
            <option value="&&">and</option>
            <option value="||">or</option>
            <option value="&& !">and not</option>
          </select>
        </div>
      )}
      <div className="button-row">
        <input className="search" placeholder="subset name" value={name} onChange={(e) => setName(e.target.value)} data-testid="subset-name" />
        <button
          disabled={!name.trim() || Boolean(filterProblem)}
          title="Save the sources matching the current filter (all when blank) as a named subset"
          onClick={() => void defs.saveSubset(name.trim(), filter, undefined).then((ok) => ok && setName(''))}
          data-testid="subset-save-filter"
        >
          Save filter
        </button>
        <button
          disabled={!name.trim() || selection.length === 0}
          title="Save the selected sources as a named subset"
          onClick={() => void defs.saveSubset(name.trim(), undefined, selection).then((ok) => ok && setName(''))}
          data-testid="subset-save-selection"
        >
          Save selection ({selection.length})
        </button>
      </div>
      <ul className="catalogue-list">
        {columns.map((c) => (
          <li key={c.name} data-testid={`computed-${c.name}`}>
            <span className="cat-name" title="Usable in filters, the table, plots and export">
              <code>{c.name}</code> = <code>{c.expression}</code>
            </span>
            <button className="icon" title="Delete this column" onClick={() => void defs.removeColumn(c.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <input
          className="search"
          placeholder="ratio = flux / peak"
          value={definition}
          spellCheck={false}
          onChange={(e) => {
            setDefinition(e.target.value);
            if (error) defs.clearError();
          }}
          onKeyDown={(e) => e.key === 'Enter' && void define()}
          data-testid="computed-input"
        />
        <button disabled={!definition.trim()} onClick={() => void define()} data-testid="computed-define">
          Define column
        </button>
      </div>
      {error && (
        <div className="form-error" data-testid="definitions-error">
          {caretAt !== null && (
            <pre className="caret-line">
              {definition}
              {'\n'}
              {' '.repeat(Math.max(0, caretAt))}^
            </pre>
          )}
          {error.split('\n')[0]}
          {'\n'}
          {error.split('\n')[1] ?? ''}
        </div>
      )}
    </section>
  );
}
