/** The one place finder apps are registered (architecture.md §1.5). */
import { AppError } from '../../shared/contract/errors';
import { builtinApp } from './builtinApp';
import { caesarApp } from './caesarApp';
import { sextractorApp } from './sextractorApp';
import type { FinderApp } from './types';

export const BUILTIN_APPS: readonly FinderApp[] = [builtinApp, sextractorApp, caesarApp];

export class AppRegistry {
  private readonly apps = new Map<string, FinderApp>();

  constructor(apps: readonly FinderApp[] = BUILTIN_APPS) {
    for (const a of apps) this.register(a);
  }

  /** Add an app (e.g. a container app from JSON); a duplicate id is refused. */
  register(app: FinderApp): void {
    if (this.apps.has(app.id)) throw new AppError('validation', `A finder app '${app.id}' is already registered`, { app: app.id });
    this.apps.set(app.id, app);
  }

  /** Throws `validation` listing the known ids. */
  get(id: string): FinderApp {
    const app = this.apps.get(id);
    if (!app) throw new AppError('validation', `Unknown finder app '${id}' (known: ${this.ids().join(', ')})`, { app: id });
    return app;
  }

  ids(): string[] {
    return [...this.apps.keys()];
  }

  list(): FinderApp[] {
    return [...this.apps.values()];
  }
}
