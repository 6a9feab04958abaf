import { useEffect, useRef, useState } from 'react';
import { useCatalogueStore } from './catalogueStore';
import { checkFilter } from './checkFilter';
import { RegionFilter } from './RegionFilter';

const APPLY_DELAY_MS = 400;
/**
 * Filter expression input (`snr > 7 && label != 'FAKE'`): validated as you type with a caret under the
 * offending character; applied to the table and the overlay after a pause, or at once with Enter.
 */
export function FilterBar() {
  const activeId = useCatalogueStore((s) => s.activeId);
  const applied = useCatalogueStore((s) => s.filter);
  const problem = useCatalogueStore((s) => s.filterProblem);
  const count = useCatalogueStore((s) => s.filteredCount);
  const [text, setText] = useState(applied);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => setText(applied), [applied, activeId]);

  const apply = (value: string): void => {
    if (timer.current) clearTimeout(timer.current);
    const st = useCatalogueStore.getState();
    const local = checkFilter(value);
    st.setFilterProblem(local);
    if (!local) st.setFilter(value);
  };

  const onChange = (value: string): void => {
    setText(value);
    if (timer.current) clearTimeout(timer.current);
    const local = checkFilter(value);
    useCatalogueStore.getState().setFilterProblem(local);
    if (!local) timer.current = setTimeout(() => apply(value), APPLY_DELAY_MS);
  };

  const caret = problem?.position ?? null;
  return (
    <div className="filter-bar">
      <span style={{ paddingTop: 3 }}>Filter</span>
      <div className="filter-input-wrap">
        <input
          className={problem ? 'search invalid' : 'search'}
          value={text}
          disabled={activeId === null}
          spellCheck={false}
          placeholder="e.g. snr > 7 && bmaj < 2*beam_bmaj && label != 'FAKE'"
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply(text);
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
          data-testid="filter-input"
          aria-invalid={problem ? true : undefined}
        />
        {problem && (
          <div className="filter-caret" data-testid="filter-error" data-position={caret ?? ''}>
            {caret !== null ? `${' '.repeat(caret)}^ ` : ''}
            {problem.message}
          </div>
        )}
      </div>
      <span className="count" data-testid="filter-count">
        {activeId === null ? '' : count === null ? '…' : `${count.toLocaleString('en-US')} rows`}
      </span>
      <RegionFilter />
    </div>
  );
}
