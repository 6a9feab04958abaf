import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Where `electron` may be imported: the entry, the window/menu code, the two desktop transports, the preload. */
function allowed(rel: string): boolean {
  return (
    rel === 'src/main/index.ts' ||
    rel.startsWith('src/main/window/') ||
    rel === 'src/main/transport/ipc.ts' ||
    rel === 'src/main/transport/tileProtocol.ts' ||
    rel.startsWith('src/preload/')
  );
}

describe('Electron stays at the edge', () => {
  it("only the entry, window/menu, ipc/tileProtocol and the preload import 'electron'", () => {
    const importing = sourceFiles(join(ROOT, 'src'))
      .filter((f) => /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f).split(sep).join('/'));
    expect(importing.filter((f) => !allowed(f))).toEqual([]);
    expect(importing).toContain('src/main/index.ts');
    expect(importing).toContain('src/preload/index.ts');
  });

  it('the preload bundle is small, CommonJS, and pulls in neither zod nor Node modules', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'src/preload/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules'))).toBe(false);
    expect(inputs.some((i) => i.includes('contract/api.ts'))).toBe(false);
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']); // a sandboxed preload can require nothing else
    expect(code.length).toBeLessThan(8_000);
  });
});
