// `cirasa serve` job-submission benchmark (not a test), after the CIRASA paper's Fig. 5 (left): median and MAD of
// the response time of POST /caesar/api/v1.0/job for 1, 10, 50 and 100 parallel requests. Target: median ≤ 50 ms
// at 100 parallel requests on this machine.
// The service runs in its own process (token auth on, local backend) so the client's timing loop does not share
// its event loop. Each job runs a `sleep` (a real process spawned by the local backend: what a submission costs
// the service), and every round's jobs are cancelled before the next round.
// Usage: node bench/serve.mjs [--rounds 5] [--levels 1,10,50,100]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TOKEN = 'bench-token-0123456789';

if (process.env.CIRASA_BENCH_SERVE_CHILD) {
  // the service process (started under tsx): print the URL, serve until SIGTERM
  const { serve } = await import('../src/main/caesar-rest/service.ts');
  const { builtinApp, containerAppFromSpec } = await import('../src/main/apps/index.ts');
  const sleeper = containerAppFromSpec({ id: 'sleeper', image: 'none', command: ['sh', '-c', 'sleep 30'], options: { delay: { type: 'number', default: 0 } }, outputs: ['out.json'], format: 'caesar-json' });
  const dir = process.env.CIRASA_BENCH_SERVE_CHILD;
  const running = await serve({
    host: '127.0.0.1', port: 0, auth: { mode: 'token', tokens: new Map([[TOKEN, 'bench']]) }, dataDir: join(dir, 'data'), jobDir: join(dir, 'jobs'),
    profile: { type: 'local', cpus: 1 }, apps: [builtinApp, sleeper], monitorPeriodMs: 2000, log: () => {},
  });
  process.stdout.write(`URL ${running.url}\n`);
  process.once('SIGTERM', () => void running.close(1000).then(() => process.exit(0)));
} else {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, levels: { type: 'string', default: '1,10,50,100' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: node bench/serve.mjs [--rounds 5] [--levels 1,10,50,100]');
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  const levels = values.levels.split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'cirasa-serve-bench-'));
  const child = spawn(process.execPath, [...(process.env.CIRASA_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CIRASA_BENCH_PROF] : []), '--import', 'tsx', fileURLToPath(import.meta.url)], { env: { ...process.env, CIRASA_BENCH_SERVE_CHILD: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`service exited (${code})`)));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const call = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request(`${url}/caesar/api/v1.0/${path}`, { method, agent, headers: { Authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  // one small FITS upload, reused as every job's data input
  const boundary = 'benchboundary';
  const fits = Buffer.alloc(2880 * 2, 0x20);
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.fits"\r\nContent-Type: application/octet-stream\r\n\r\n`), fits, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await call('POST', 'upload', multipart, { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': multipart.length });
  const fileid = JSON.parse(up.body).uuid;
  const job = JSON.stringify({ app: 'sleeper', job_inputs: { delay: 1 }, data_inputs: fileid, tag: 'bench' });
  const submit = () => call('POST', 'job', job, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(job) });
  const median = (a) => {
    const s = [...a].sort((x, y) => x - y);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  await submit(); // warm-up (first spawn, JIT)
  console.log(`cirasa serve job submission (POST /job), ${rounds} rounds per level; load before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('parallel  requests  median ms  MAD ms   max ms  non-202');
  const results = [];
  for (const n of levels) {
    const times = [];
    let bad = 0;
    for (let r = 0; r < rounds; r++) {
      const answers = await Promise.all(Array.from({ length: n }, submit));
      for (const a of answers) {
        times.push(a.ms);
        if (a.status !== 202) bad++;
      }
      // cancel this round's jobs (their sleeps) so rounds do not pile up processes
      await Promise.all(answers.filter((a) => a.status === 202).map((a) => call('POST', `job/${JSON.parse(a.body).job_id}/cancel`)));
    }
    const med = median(times);
    const mad = median(times.map((t) => Math.abs(t - med)));
    results.push({ n, med });
    console.log(`${String(n).padStart(8)}  ${String(times.length).padStart(8)}  ${med.toFixed(1).padStart(9)}  ${mad.toFixed(1).padStart(6)}  ${Math.max(...times).toFixed(1).padStart(7)}  ${String(bad).padStart(7)}`);
  }
  const at100 = results.find((r) => r.n === 100);
  if (at100) console.log(`target median ≤ 50 ms at 100 parallel: ${at100.med <= 50 ? 'met' : 'NOT met'} (${at100.med.toFixed(1)} ms); load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
