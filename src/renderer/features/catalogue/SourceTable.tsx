import { useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { ColumnInfo, SourceRow } from '../../../shared/contract/catalogues';
import { call } from '../../api/client';
import type { FitsViewer } from '../viewer/fitsViewer';
import { filterProblemOf, useCatalogueStore } from './catalogueStore';
import { dependsOnLabels } from './overlayLayers';
import { locateRow, type TableQuery } from './rowLocator';
import { centreOn } from './viewerNav';
import { useDefinitionsStore } from '../subsets/definitionsStore';

const ROW_H = 22;
const PAGE = 200;
const DEFAULT_COLUMNS = ['name', 'ra', 'dec', 'x', 'y', 'peak', 'flux', 'snr', 'bmaj', 'bmin', 'pa', 'type', 'sourceness', 'class', 'morphology', 'notes'];
const WIDE = new Set(['name', 'notes', 'class', 'morphology', 'sourceness']);

function formatCell(v: number | string | null | undefined, col: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (col === 'ra' || col === 'dec') return v.toFixed(5);
  if (col === 'x' || col === 'y') return v.toFixed(2);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
}

/**
 * The active catalogue's rows: virtualized (only visible rows exist in the DOM, pages of 200 fetched on
 * demand with catalogue.query), sortable by header click, a column chooser, units in headers; selection
 * linked both ways with the image.
 */
export function SourceTable({ viewerRef }: { viewerRef: MutableRefObject<FitsViewer | null> }) {
  const activeId = useCatalogueStore((s) => s.activeId);
  const filter = useCatalogueStore((s) => s.filter);
  const filterProblem = useCatalogueStore((s) => s.filterProblem);
  const selection = useCatalogueStore((s) => s.selection);
  const focusId = useCatalogueStore((s) => s.focusId);
  const labelsVersion = useCatalogueStore((s) => s.labelsVersion);
  /** Subsets or computed columns changed: columns and rows are fetched again. */
  const definitionsVersion = useDefinitionsStore((s) => s.version);
  const [columns, setColumns] = useState<ColumnInfo[]>([]);
  const [shown, setShown] = useState<string[]>(DEFAULT_COLUMNS);
  const [chooser, setChooser] = useState(false);
  const [sort, setSort] = useState<TableQuery['sort']>(null);
  const [total, setTotal] = useState(0);
  const [range, setRange] = useState({ first: 0, last: 30 });
  const [, setPagesVersion] = useState(0);
  const pages = useRef(new Map<number, SourceRow[]>());
  const inflight = useRef(new Set<number>());
  const stale = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const lastLocated = useRef<number | null>(null);
  const appliedFilter = filterProblem ? null : filter;
  const query = useMemo<TableQuery | null>(
    () => (activeId !== null && appliedFilter !== null ? { catalogueId: activeId, filter: appliedFilter, sort } : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [activeId, appliedFilter, sort, definitionsVersion],
  );
  const queryKey = useRef('');

  useEffect(() => {
    if (activeId === null) return setColumns([]);
    void call('catalogue.columns', { catalogueId: activeId }).then((cols) => {
      setColumns(cols);
      // Computed columns are shown as soon as they are defined.
      const computed = cols.filter((c) => c.description.startsWith('Computed:')).map((c) => c.name);
      setShown((s) => [...s, ...computed.filter((n) => !s.includes(n))]);
    }, () => setColumns([]));
  }, [activeId, definitionsVersion]);

  const fetchPage = async (q: TableQuery, page: number): Promise<SourceRow[]> => {
    const res = await call('catalogue.query', {
      catalogueId: q.catalogueId,
      ...(q.filter.trim() ? { filter: q.filter } : {}),
      ...(q.sort ? { sort: q.sort } : {}),
      offset: page * PAGE,
      limit: PAGE,
    });
    return res.rows;
  };

  const ensurePages = (q: TableQuery, first: number, last: number, force = false): void => {
    const key = queryKey.current;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
      if (inflight.current.has(p)) {
        // A refresh asked while a fetch is on its way: that answer may predate the change, fetch again after it.
        if (force) stale.current.add(p);
        continue;
      }
      if (!force && pages.current.has(p)) continue;
      inflight.current.add(p);
      void fetchPage(q, p)
        .then((rows) => {
          if (queryKey.current !== key) return;
          pages.current.set(p, rows);
          setPagesVersion((v) => v + 1);
        }, () => undefined)
        .finally(() => {
          if (queryKey.current !== key) return;
          inflight.current.delete(p);
          if (stale.current.delete(p)) ensurePages(q, p * PAGE, p * PAGE, true);
        });
    }
  };

  // A new query: count rows (this also validates the filter), clear the cache, fetch the visible pages.
  useEffect(() => {
    if (!query) return;
    queryKey.current = JSON.stringify(query);
    pages.current = new Map();
    inflight.current = new Set();
    stale.current = new Set();
    const key = queryKey.current;
    void call('catalogue.query', { catalogueId: query.catalogueId, ...(query.filter.trim() ? { filter: query.filter } : {}), offset: 0, limit: 0 }).then(
      (r) => {
        if (queryKey.current !== key) return;
        setTotal(r.total);
        useCatalogueStore.getState().setFilteredCount(r.total);
      },
      (err: unknown) => {
        const problem = filterProblemOf(err);
        if (problem) useCatalogueStore.getState().setFilterProblem(problem);
      },
    );
    if (scroller.current) scroller.current.scrollTop = 0;
    ensurePages(query, 0, 40);
    setPagesVersion((v) => v + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  // Labels changed: refetch the visible pages, keep showing the old ones meanwhile; recount when the filter names labels.
  useEffect(() => {
    if (!query || labelsVersion === 0) return;
    ensurePages(query, range.first, range.last, true);
    if (dependsOnLabels(query.filter)) {
      const key = queryKey.current;
      void call('catalogue.query', { catalogueId: query.catalogueId, filter: query.filter, offset: 0, limit: 0 }).then(
        (r) => {
          if (queryKey.current !== key) return;
          setTotal(r.total);
          useCatalogueStore.getState().setFilteredCount(r.total);
        },
        () => undefined,
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labelsVersion]);

  const onScroll = (): void => {
    const el = scroller.current;
    if (!el || !query) return;
    const first = Math.max(0, Math.floor(el.scrollTop / ROW_H) - 5);
    const last = Math.min(Math.max(0, total - 1), Math.ceil((el.scrollTop + el.clientHeight) / ROW_H) + 5);
    setRange({ first, last });
    ensurePages(query, first, last);
  };
  useEffect(onScroll, [total]); // eslint-disable-line react-hooks/exhaustive-deps

  // Selection made elsewhere (image click): scroll the table to that row.
  useEffect(() => {
    if (!query || focusId === null || lastLocated.current === focusId) return;
    lastLocated.current = focusId;
    for (const [p, rows] of pages.current) {
      const k = rows.findIndex((r) => r.sourceId === focusId);
      if (k >= 0) return scrollToRow(p * PAGE + k);
    }
    void locateRow(query, focusId, (offset) => fetchPage(query, Math.floor(offset / PAGE))).then(
      (i) => i !== null && useCatalogueStore.getState().focusId === focusId && scrollToRow(i),
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusId, query]);

  const scrollToRow = (i: number): void => {
    const el = scroller.current;
    if (!el) return;
    const top = i * ROW_H;
    if (top < el.scrollTop || top + 2 * ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    onScroll();
  };

  const onRowClick = (row: SourceRow, e: React.MouseEvent): void => {
    const st = useCatalogueStore.getState();
    lastLocated.current = row.sourceId;
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      const has = st.selection.includes(row.sourceId);
      st.select(has ? st.selection.filter((s) => s !== row.sourceId) : [...st.selection, row.sourceId], row.sourceId);
    } else st.select([row.sourceId], row.sourceId);
    const x = row.values['x'];
    const y = row.values['y'];
    if (viewerRef.current && typeof x === 'number' && typeof y === 'number') centreOn(viewerRef.current, x, y);
  };

  const colInfo = new Map(columns.map((c) => [c.name, c]));
  const visibleCols = shown.filter((c) => colInfo.has(c) || columns.length === 0);
  const widthOf = (c: string): number => (WIDE.has(c) ? 110 : 84);
  const rowWidth = visibleCols.reduce((s, c) => s + widthOf(c), 0);
  const selected = new Set(selection);
  const rows: { i: number; row: SourceRow | undefined }[] = [];
  for (let i = range.first; i <= range.last && i < total; i++) rows.push({ i, row: pages.current.get(Math.floor(i / PAGE))?.[i % PAGE] });

  if (activeId === null) return <div className="source-table empty muted" style={{ padding: 8 }}>No catalogue: File › Open catalogue… (or the Catalogues panel).</div>;
  return (
    <div className="source-table" ref={scroller} onScroll={onScroll} data-testid="source-table" tabIndex={-1}>
      <div className="thead" style={{ width: rowWidth }}>
        {visibleCols.map((c) => {
          const info = colInfo.get(c);
          const sorted = sort?.column === c;
          return (
            <div
              key={c}
              className={sorted ? 'th sorted' : 'th'}
              style={{ width: widthOf(c) }}
              title={`${info?.description ?? c} — click to sort`}
              onClick={() => setSort(sorted ? (sort!.descending ? null : { column: c, descending: true }) : { column: c, descending: false })}
              data-testid={`th-${c}`}
            >
              {c}
              {info?.unit ? <span className="unit">[{info.unit}]</span> : null}
              {sorted ? (sort!.descending ? ' ▼' : ' ▲') : ''}
            </div>
          );
        })}
        <div className="th" style={{ width: 28 }} title="Choose columns" onClick={() => setChooser(!chooser)} data-testid="column-chooser-button">
          ⋮
        </div>
      </div>
      {chooser && (
        <div className="column-chooser" style={{ top: ROW_H + 4 }} onMouseLeave={() => setChooser(false)}>
          {columns.map((c) => (
            <label key={c.name}>
              <input
                type="checkbox"
                checked={shown.includes(c.name)}
                onChange={(e) => setShown(e.target.checked ? columns.map((x) => x.name).filter((n) => n === c.name || shown.includes(n)) : shown.filter((n) => n !== c.name))}
              />{' '}
              {c.name} {c.unit && <span className="muted">[{c.unit}]</span>}
            </label>
          ))}
        </div>
      )}
      <div style={{ height: total * ROW_H, width: rowWidth, position: 'relative' }}>
        {rows.map(({ i, row }) => (
          <div
            key={i}
            className={row && row.sourceId === focusId ? 'tr focus' : row && selected.has(row.sourceId) ? 'tr selected' : 'tr'}
            style={{ top: i * ROW_H, height: ROW_H, lineHeight: `${ROW_H}px`, width: rowWidth }}
            onClick={(e) => row && onRowClick(row, e)}
            data-testid="source-row"
            data-source-id={row?.sourceId}
            data-row-index={i}
          >
            {visibleCols.map((c) => (
              <div key={c} className={row ? (colInfo.get(c)?.kind === 'string' ? 'td' : 'td num') : 'td loading'} style={{ width: widthOf(c) }}>
                {row ? formatCell(row.values[c], c) : c === visibleCols[0] ? '…' : ''}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
