/**
 * The output routes beyond the tarball and the JSON catalogues (api §3.11): `/output-sources` and
 * `/output-components` (CAESAR ASCII tables, from the job folder when the app wrote them, else from our
 * catalogue), `/preview` (base64 PNG in JSON) and `/output-plot` (the PNG itself, `plot_*.png` from the job
 * folder when present, else drawn here from the input image and the catalogue).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalogue } from '../../shared/domain/source';
import type { JobRecord } from '../jobs/jobsRepo';
import { componentTable, islandTable } from './caesarAscii';
import type { RouteCall, ServiceContext } from './context';
import { finishedJob, missing } from './jobRoutes';
import { summaryPlot } from './summaryPlot';
import { sendJson } from './wire';

async function jobFile(job: JobRecord, pattern: RegExp): Promise<string | undefined> {
  if (!job.outputDir || !existsSync(job.outputDir)) return undefined;
  const hit = (await readdir(job.outputDir)).sort().find((f) => pattern.test(f));
  return hit ? join(job.outputDir, hit) : undefined;
}

function catalogueOf(ctx: ServiceContext, job: JobRecord): Catalogue | undefined {
  return job.catalogueId !== undefined && ctx.store.catalogues.get(job.catalogueId) ? ctx.store.catalogues.load(job.catalogueId) : undefined;
}

function attachment(call: RouteCall, body: Buffer, type: string, filename: string): void {
  call.res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Content-Disposition': `attachment; filename=${filename}` });
  call.res.end(body);
}

/** `/output-sources` (islands) and `/output-components`: `catalog[_fitcomp]-<fileid>.dat`. */
export async function asciiCatalogue(ctx: ServiceContext, call: RouteCall, id: string, kind: 'sources' | 'components'): Promise<void> {
  const job = await finishedJob(ctx, call, id);
  if (!job) return;
  const own = await ctx.spaces.job(call.user, id);
  const prefix = kind === 'sources' ? 'catalog' : 'catalog_fitcomp';
  const filename = `${prefix}-${own?.data_inputs ?? id}.dat`;
  const written = await jobFile(job, kind === 'sources' ? /^catalog-.*\.dat$/ : /^catalog_fitcomp-.*\.dat$/);
  if (written) return attachment(call, await readFile(written), 'application/octet-stream', filename);
  const cat = catalogueOf(ctx, job);
  // as CAESAR: no sources → no catalogue file; no fitted components → no component file
  if (!cat || cat.sources.length === 0) return missing(call, id);
  if (kind === 'components' && !cat.sources.some((s) => s.components.length > 0)) return missing(call, id);
  attachment(call, Buffer.from(kind === 'sources' ? islandTable(cat) : componentTable(cat)), 'application/octet-stream', filename);
}

async function plotPng(ctx: ServiceContext, job: JobRecord): Promise<Buffer | undefined> {
  const written = await jobFile(job, /^plot_.*\.png$/);
  if (written) return readFile(written);
  const image = job.inputs[0];
  if (!image || !existsSync(image)) return undefined;
  return summaryPlot(image, catalogueOf(ctx, job));
}

/** `/preview`: `{"status": "", "image": "<base64 PNG>"}`. */
export async function preview(ctx: ServiceContext, call: RouteCall, id: string): Promise<void> {
  const job = await finishedJob(ctx, call, id);
  if (!job) return;
  const png = await plotPng(ctx, job).catch(() => undefined);
  if (!png) return missing(call, id);
  sendJson(call.res, 200, { status: '', image: png.toString('base64') });
}

/** `/output-plot`: the PNG as an attachment. */
export async function outputPlot(ctx: ServiceContext, call: RouteCall, id: string): Promise<void> {
  const job = await finishedJob(ctx, call, id);
  if (!job) return;
  const png = await plotPng(ctx, job).catch(() => undefined);
  if (!png) return missing(call, id);
  const own = await ctx.spaces.job(call.user, id);
  attachment(call, png, 'image/png', `plot_${own?.data_inputs ?? id}.png`);
}
