import type { Migration } from './types';

/**
 * Measurement columns shared by sources and components (see src/shared/domain/source.ts `Measurement`).
 * Written out literally (not generated from the live column map) so this migration never changes.
 */
const MEASUREMENT_COLUMNS = `
  x REAL NOT NULL, y REAL NOT NULL, x_err_px REAL, y_err_px REAL,
  ra REAL, dec REAL, ra_err REAL, dec_err REAL, glon REAL, glat REAL,
  peak REAL, peak_err REAL, flux REAL, flux_err REAL, snr REAL,
  bmaj_arcsec REAL, bmin_arcsec REAL, pa_deg REAL, bmaj_err_arcsec REAL, bmin_err_arcsec REAL, pa_err_deg REAL,
  deconv_bmaj_arcsec REAL, deconv_bmin_arcsec REAL, deconv_pa_deg REAL,
  bmaj_px REAL, bmin_px REAL, theta_px_deg REAL,
  chi2 REAL, ndf REAL, fit_quality TEXT,
  extra_json TEXT`;

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        size_bytes INTEGER,
        mtime_ms REAL,
        width INTEGER,
        height INTEGER,
        added_at TEXT NOT NULL,
        opened_at TEXT
      );

      CREATE TABLE catalogues (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL,
        name TEXT NOT NULL,
        finder TEXT NOT NULL,
        run_id TEXT,
        image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
        image_path TEXT,
        frame TEXT NOT NULL,
        beam_json TEXT,
        parameters_json TEXT,
        format_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        source_count INTEGER NOT NULL DEFAULT 0,
        component_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX catalogues_image ON catalogues(image_id);

      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        catalogue_id INTEGER NOT NULL REFERENCES catalogues(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        iau_name TEXT,
        run_id TEXT,
        type TEXT NOT NULL CHECK (type IN ('point', 'extended')),
        island_id TEXT NOT NULL,
        parent_key TEXT,
        npix INTEGER,
        contour_json TEXT,
        bbox_json TEXT,
        flags INTEGER,
        bkg REAL,
        rms REAL,
        ${MEASUREMENT_COLUMNS}
      );
      CREATE INDEX sources_catalogue_key ON sources(catalogue_id, key);

      CREATE TABLE components (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        idx INTEGER NOT NULL,
        ${MEASUREMENT_COLUMNS}
      );
      CREATE INDEX components_source ON components(source_id);

      -- Current labels of a source (absent row or NULL field = not labelled).
      CREATE TABLE labels (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        sourceness TEXT,
        class TEXT,
        morphology TEXT,
        notes TEXT,
        tags_json TEXT,
        updated_by TEXT,
        updated_at TEXT
      );

      -- One row per labelling act: the undo/redo stack of a session is read from here (survives restart).
      -- User acts ('set', 'bulk') are 'done', 'undone' or 'discarded' (undone, then a new act was made);
      -- 'undo'/'redo' acts point at the user act they reverted or re-applied and have no state.
      CREATE TABLE label_actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('set', 'bulk', 'undo', 'redo')),
        state TEXT CHECK (state IN ('done', 'undone', 'discarded')),
        target_id INTEGER REFERENCES label_actions(id)
      );
      CREATE INDEX label_actions_session ON label_actions(session, state, id);

      -- Every label change with its previous value (who, when, which act).
      CREATE TABLE label_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        action_id INTEGER NOT NULL REFERENCES label_actions(id),
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ('sourceness', 'class', 'morphology', 'notes')),
        old_value TEXT,
        new_value TEXT,
        who TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX label_history_source ON label_history(source_id, id);
      CREATE INDEX label_history_action ON label_history(action_id, id);

      CREATE TABLE saved_subsets (
        id INTEGER PRIMARY KEY,
        catalogue_id INTEGER NOT NULL REFERENCES catalogues(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        expression TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (catalogue_id, name)
      );

      CREATE TABLE subset_members (
        subset_id INTEGER NOT NULL REFERENCES saved_subsets(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        PRIMARY KEY (subset_id, source_id)
      ) WITHOUT ROWID;
      CREATE INDEX subset_members_source ON subset_members(source_id);

      -- User additions to the label vocabularies (the defaults live in src/shared/domain/labels.ts).
      CREATE TABLE vocabulary_terms (
        field TEXT NOT NULL CHECK (field IN ('sourceness', 'class', 'morphology')),
        value TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (field, value)
      ) WITHOUT ROWID;
    `);
  },
};
