import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LabelField } from '../../shared/contract/catalogues';
import { AppError } from '../../shared/contract/errors';
import {
  SESSION_FORMAT, SESSION_FORMAT_VERSION, type SessionCatalogue, type SessionFile, type SessionLabel, type SessionLoadResult,
  type SessionSaveResult, type SessionState,
} from '../../shared/contract/session';
import type { Store } from '../store';
import type { VocabularyField } from '../store';
import type { CatalogueService } from './catalogueService';
import { readSessionFile, writeSessionFile } from './sessionFile';

const VOCAB_FIELDS: readonly VocabularyField[] = ['sourceness', 'class', 'morphology'];
const FIELDS: readonly LabelField[] = ['sourceness', 'class', 'morphology', 'notes'];

/** A file of the session where it was, else beside the session file (a folder moved as a whole); null if neither. */
function locate(path: string | null, sessionPath: string): string | null {
  if (path === null) return null;
  if (existsSync(path)) return path;
  const beside = join(dirname(sessionPath), basename(path));
  return existsSync(beside) ? beside : null;
}

/**
 * Session files (issue 4 item 7): save the review as JSON — the image, catalogues by source file, every
 * label and note keyed by catalogue + source key (so they survive a re-import), subsets, computed columns
 * and the renderer's view — and reopen it in any store.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly svc: CatalogueService,
    private readonly who = 'user',
  ) {}

  async save(input: { path: string; state: SessionState }): Promise<SessionSaveResult> {
    const path = resolve(input.path);
    const ids = input.state.catalogues?.map((c) => c.catalogueId) ?? this.store.catalogues.list().map((c) => c.id);
    const styles = new Map(input.state.catalogues?.map((c) => [c.catalogueId, c.style]) ?? []);
    const catalogues: SessionCatalogue[] = [];
    const file: SessionFile = {
      format: SESSION_FORMAT, version: SESSION_FORMAT_VERSION, savedAt: new Date().toISOString(),
      catalogues, labels: [], subsets: [], computedColumns: [],
      state: { ...input.state, catalogues: ids.map((catalogueId) => ({ catalogueId, ...(styles.get(catalogueId) ? { style: styles.get(catalogueId) } : {}) })) },
    };
    if (file.state.image) file.state.image = { ...file.state.image, path: resolve(file.state.image.path) };
    for (const id of ids) {
      const s = this.store.catalogues.get(id);
      if (!s) throw new AppError('notFound', `session: no catalogue ${id} in the store`, { catalogueId: id });
      const origin = this.svc.definitions.origin(id);
      const style = styles.get(id);
      catalogues.push({
        catalogueId: id, name: s.name, finder: s.finder, uid: s.uid, sourceCount: s.sourceCount, sourcePath: origin.path,
        imagePath: s.imagePath ?? null, ...(origin.format ? { format: origin.format } : {}), ...(origin.csvMapping ? { csvMapping: origin.csvMapping } : {}),
        ...(style ? { style } : {}),
      });
      file.labels.push(...this.labelsOf(id));
      for (const sub of this.store.subsets.list(id)) {
        const keys = this.store.db.prepare('SELECT s.key FROM subset_members m JOIN sources s ON s.id = m.source_id WHERE m.subset_id = ? ORDER BY s.id')
          .pluck().all(sub.id) as string[];
        file.subsets.push({ catalogueId: id, name: sub.name, keys, ...(sub.expression !== undefined ? { expression: sub.expression } : {}) });
      }
      file.computedColumns.push(...this.svc.definitions.listComputed(id));
    }
    await writeSessionFile(path, file);
    return { path, catalogues: catalogues.length, labels: file.labels.length };
  }

  /**
   * Reopen a session: the whole file is checked first (a bad file changes nothing), then each catalogue is
   * matched in the store (same source file and uid, or same uid, name and size) or imported from its file;
   * labels are applied through the normal labelling path (undoable, one step per field and value) —
   * labels in the store that the session does not mention are kept. What cannot be restored is reported.
   */
  async load(input: { path: string }): Promise<SessionLoadResult> {
    const path = resolve(input.path);
    const file = await readSessionFile(path);
    this.checkTerms(path, file.labels);
    const warnings: string[] = [];
    const idMap = new Map<number, number>();
    let imported = 0;
    for (const c of file.catalogues) {
      const found = this.match(c);
      if (found !== null) {
        idMap.set(c.catalogueId, found);
        continue;
      }
      const sourcePath = locate(c.sourcePath, path);
      if (sourcePath === null) {
        warnings.push(`catalogue '${c.name}': ${c.sourcePath === null ? 'its source file is unknown' : `${c.sourcePath} is missing`} and it is not in the store; its labels were not restored`);
        continue;
      }
      try {
        const imagePath = locate(c.imagePath, path) ?? undefined;
        const summary = await this.svc.import({
          path: sourcePath, name: c.name, ...(c.format ? { format: c.format } : {}), ...(imagePath ? { imagePath } : {}),
          // Checked by the reader (a bad mapping is a catalogue.parseFailed warning here).
          ...(c.csvMapping ? { csvMapping: c.csvMapping as unknown as NonNullable<Parameters<CatalogueService['import']>[0]['csvMapping']> } : {}),
        });
        idMap.set(c.catalogueId, summary.catalogueId);
        imported++;
      } catch (err) {
        warnings.push(`catalogue '${c.name}': could not import ${sourcePath} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    const labelsApplied = this.applyLabels(file.labels, idMap, warnings);
    this.applyDefinitions(file, idMap, warnings);
    const state = this.mapState(file.state, idMap, warnings, path);
    return { path, state, catalogueIds: Object.fromEntries(idMap), imported, labelsApplied, warnings };
  }

  private labelsOf(catalogueId: number): SessionLabel[] {
    const rows = this.store.db.prepare(
      `SELECT s.key, s.name, l.sourceness, l.class, l.morphology, l.notes, l.updated_by, l.updated_at
       FROM labels l JOIN sources s ON s.id = l.source_id
       WHERE s.catalogue_id = ? AND (l.sourceness IS NOT NULL OR l.class IS NOT NULL OR l.morphology IS NOT NULL OR l.notes IS NOT NULL)
       ORDER BY s.id`,
    ).all(catalogueId) as Record<string, string | null>[];
    return rows.map((r) => {
      const label: SessionLabel = { catalogueId, key: r.key!, name: r.name!, who: r.updated_by ?? this.who, at: r.updated_at ?? '' };
      for (const f of FIELDS) if (r[f] !== null) label[f] = r[f]!;
      return label;
    });
  }

  /** Vocabulary terms must be valid terms; user terms unknown to this store are added (before any label is written). */
  private checkTerms(path: string, labels: readonly SessionLabel[]): void {
    const add: [VocabularyField, string, string][] = [];
    labels.forEach((l, i) => {
      for (const f of VOCAB_FIELDS) {
        const v = l[f];
        if (v === undefined) continue;
        const t = v.trim().toUpperCase();
        if (!/^[A-Z0-9][A-Z0-9_\- ]*$/.test(t)) {
          throw new AppError('session.badFile', `${path}: not a valid CIRASA session file (field labels[${i}].${f}): ${JSON.stringify(v)} is not a label term`, { path, field: `labels[${i}].${f}` });
        }
        if (!this.store.vocabularies.has(f, t)) add.push([f, t, l.who]);
      }
    });
    for (const [f, t, who] of add) this.store.vocabularies.add(f, t, who);
  }

  /** Store id of a catalogue of the file already in the store, or null. */
  private match(c: SessionCatalogue): number | null {
    const all = this.store.catalogues.list();
    if (c.sourcePath !== null) {
      const byPath = all.find((s) => s.uid === c.uid && this.svc.definitions.origin(s.id).path === c.sourcePath);
      if (byPath) return byPath.id;
    }
    const same = all.find((s) => s.uid === c.uid && s.name === c.name && s.sourceCount === c.sourceCount);
    return same ? same.id : null;
  }

  private applyLabels(labels: readonly SessionLabel[], idMap: ReadonlyMap<number, number>, warnings: string[]): number {
    const groups = new Map<string, { field: LabelField; value: string; who: string; ids: number[] }>();
    const byCatalogue = new Map<number, SessionLabel[]>();
    for (const l of labels) {
      if (!idMap.has(l.catalogueId)) continue;
      let list = byCatalogue.get(l.catalogueId);
      if (!list) byCatalogue.set(l.catalogueId, (list = []));
      list.push(l);
    }
    for (const [fileId, list] of byCatalogue) {
      const storeId = idMap.get(fileId)!;
      const ids = this.store.catalogues.sourceIdsByKey(storeId, list.map((l) => l.key));
      // A key the catalogue no longer has (a finder that renumbers on re-run): fall back to a unique source name.
      const byName = this.store.db.prepare('SELECT id FROM sources WHERE catalogue_id = ? AND name = ? LIMIT 2').pluck();
      for (const l of list) {
        if (ids.has(l.key) || l.name === undefined) continue;
        const found = byName.all(storeId, l.name) as number[];
        if (found.length === 1) ids.set(l.key, found[0]!);
      }
      const missing = list.filter((l) => !ids.has(l.key));
      if (missing.length > 0) {
        warnings.push(`${missing.length} labelled source(s) of catalogue ${storeId} are not in it (keys ${missing.slice(0, 5).map((l) => l.key).join(', ')}${missing.length > 5 ? '…' : ''})`);
      }
      for (const l of list) {
        const sourceId = ids.get(l.key);
        if (sourceId === undefined) continue;
        for (const f of FIELDS) {
          const value = l[f];
          if (value === undefined) continue;
          const k = `${f}\u0000${value}\u0000${l.who}`;
          let g = groups.get(k);
          if (!g) groups.set(k, (g = { field: f, value, who: l.who, ids: [] }));
          g.ids.push(sourceId);
        }
      }
    }
    let applied = 0;
    for (const g of groups.values()) {
      const before = this.store.labels.getMany(g.ids);
      const current = new Map(before.map((b) => [b.sourceId, b[g.field] ?? null]));
      const todo = g.ids.filter((id) => current.get(id) !== (g.field === 'notes' ? g.value : g.value.trim().toUpperCase()));
      if (todo.length === 0) continue;
      this.svc.setLabels({ sourceIds: todo, field: g.field, value: g.value, who: g.who });
      applied += todo.length;
    }
    return applied;
  }

  private applyDefinitions(file: SessionFile, idMap: ReadonlyMap<number, number>, warnings: string[]): void {
    for (const c of file.computedColumns) {
      const storeId = idMap.get(c.catalogueId);
      if (storeId === undefined) continue;
      try {
        this.svc.definitions.defineComputed(storeId, c.name, c.expression, this.who, this.store.catalogues.get(storeId)?.beam);
      } catch (err) {
        warnings.push(`computed column '${c.name}': ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
    for (const s of file.subsets) {
      const storeId = idMap.get(s.catalogueId);
      if (storeId === undefined) continue;
      const ids = this.store.catalogues.sourceIdsByKey(storeId, s.keys);
      if (ids.size < s.keys.length) warnings.push(`subset '${s.name}': ${s.keys.length - ids.size} member(s) are not in catalogue ${storeId}`);
      this.svc.definitions.saveSubset(storeId, s.name, [...ids.values()], s.expression, this.who);
    }
  }

  private mapState(state: SessionState, idMap: ReadonlyMap<number, number>, warnings: string[], sessionPath: string): SessionState {
    const out: SessionState = { ...state };
    if (state.image) {
      const image = locate(state.image.path, sessionPath);
      if (image === null) {
        warnings.push(`image ${state.image.path} is missing`);
        delete out.image;
      } else out.image = { ...state.image, path: image };
    }
    if (state.catalogues) {
      out.catalogues = state.catalogues.filter((c) => idMap.has(c.catalogueId)).map((c) => ({ ...c, catalogueId: idMap.get(c.catalogueId)! }));
    }
    if (state.activeCatalogueId !== undefined && state.activeCatalogueId !== null) {
      const mapped = idMap.get(state.activeCatalogueId);
      if (mapped === undefined) {
        out.activeCatalogueId = null;
        delete out.filter;
      } else out.activeCatalogueId = mapped;
    }
    return out;
  }
}
