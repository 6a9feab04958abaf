import { AppError } from '../../../shared/contract/errors';
import type { TaskStatus } from '../types';
import type { TokenSource } from './jwt';
import {
  INVALID_JOB_ID,
  SUPPORTED_VERSIONS,
  describeErrors,
  looksLikeAuthFailure,
  offeredVersions,
  readErrors,
  readArrayTasks,
  readJob,
  readSubmittedJobId,
  snippet,
  type RestJobInfo,
} from './shapes';

export interface SlurmRestClientOptions {
  /** e.g. http://127.0.0.1:6820 (no trailing /slurm). */
  baseUrl: string;
  /** Slurm user the jobs run as (X-SLURM-USER-NAME). */
  user: string;
  tokens: TokenSource;
  /** Force an API version instead of discovering it. */
  version?: string;
  /** Versions to consider, in preference order (default SUPPORTED_VERSIONS). */
  versions?: readonly string[];
  /** Per request; default 15 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Purpose = 'query' | 'submit' | 'cancel' | 'probe';

interface Answer {
  status: number;
  body: unknown;
}

/** slurmrestd over HTTP with JWT auth; errors are AppErrors; tokens never appear in messages or details. */
export class SlurmRestClient {
  private chosen: string | undefined;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: SlurmRestClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.doFetch = options.fetch ?? fetch;
    this.chosen = options.version;
  }

  /**
   * The API version to use: the first of `versions` the server offers, from its OpenAPI document, else by pinging
   * each (404 = not offered). Remembered after the first success.
   */
  async version(signal?: AbortSignal): Promise<string> {
    if (this.chosen !== undefined) return this.chosen;
    const wanted = this.options.versions ?? SUPPORTED_VERSIONS;
    const doc = await this.send('GET', '/openapi/v3', undefined, signal, 'probe');
    const offered = doc.status === 200 ? offeredVersions(doc.body) : [];
    let pick = wanted.find((v) => offered.includes(v));
    if (pick === undefined && offered.length === 0) {
      for (const v of wanted) {
        const ping = await this.send('GET', `/slurm/${v}/ping`, undefined, signal, 'probe');
        if (ping.status !== 404) {
          pick = v;
          break;
        }
      }
    }
    if (pick === undefined) {
      throw new AppError(
        'jobs.badResponse',
        `slurmrestd at ${this.base} offers none of the API versions ${wanted.join(', ')} (it offers ${offered.join(', ') || 'none'})`,
        { offered },
      );
    }
    this.chosen = pick;
    return pick;
  }

  async ping(signal?: AbortSignal): Promise<unknown> {
    const v = await this.version(signal);
    return (await this.call('GET', `/slurm/${v}/ping`, undefined, signal, 'query')).body;
  }

  /** POST job/submit; answers the job id. */
  async submit(body: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    const v = await this.version(signal);
    return readSubmittedJobId((await this.call('POST', `/slurm/${v}/job/submit`, body, signal, 'submit')).body);
  }

  /** GET job/{id}; `notFound` when slurmctld no longer knows it (after MinJobAge). */
  async job(jobId: string, signal?: AbortSignal): Promise<RestJobInfo> {
    const v = await this.version(signal);
    return readJob((await this.call('GET', `/slurm/${v}/job/${encodeURIComponent(jobId)}`, undefined, signal, 'query')).body, jobId);
  }

  /** GET job/{arrayId}: every task record of a job array; `notFound` when slurmctld no longer knows it. */
  async arrayTasks(arrayId: string, signal?: AbortSignal): Promise<TaskStatus[]> {
    const v = await this.version(signal);
    return readArrayTasks((await this.call('GET', `/slurm/${v}/job/${encodeURIComponent(arrayId)}`, undefined, signal, 'query')).body, arrayId);
  }

  /** DELETE job/{id} (SIGKILL → CANCELLED). A job Slurm does not know is no longer running: not an error. */
  async cancel(jobId: string, signal?: AbortSignal): Promise<void> {
    const v = await this.version(signal);
    try {
      await this.call('DELETE', `/slurm/${v}/job/${encodeURIComponent(jobId)}`, undefined, signal, 'cancel');
    } catch (err) {
      if (err instanceof AppError && err.code === 'notFound') return;
      throw err;
    }
  }

  /** One request with auth; retried once with a fresh token when the answer looks like a token problem. */
  private async call(method: string, path: string, body: unknown, signal: AbortSignal | undefined, purpose: Purpose): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.send(method, path, body, signal, purpose);
      const errors = readErrors(answer.body);
      if (answer.status < 400 && errors.length === 0) return answer;
      const where = `slurmrestd ${method} ${path}`;
      const authLike = answer.status === 401 || looksLikeAuthFailure(errors);
      if (authLike && attempt === 0 && this.options.tokens.invalidate()) continue;
      if (errors.some((e) => e.number === INVALID_JOB_ID)) {
        throw new AppError('notFound', `${where}: ${describeErrors(errors)}`, { status: answer.status });
      }
      if (authLike) {
        const text = answer.status === 401 ? 'Authentication failure (401)' : describeErrors(errors);
        throw new AppError(
          'jobs.authFailed',
          `${where} was refused for user ${this.options.user}: ${text}. slurmrestd reports a bad, expired or other-user token this way (or slurmctld being unreachable)`,
          { status: answer.status, user: this.options.user },
        );
      }
      const detail = errors.length > 0 ? describeErrors(errors) : `HTTP ${answer.status} ${snippet(answer.body)}`;
      if (errors.some((e) => /unable to contact slurm controller|connect failure/i.test(`${e.error} ${e.description ?? ''}`))) {
        throw new AppError('jobs.backendUnreachable', `${where}: slurmctld unreachable: ${detail}`, { status: answer.status });
      }
      throw new AppError(purpose === 'submit' ? 'jobs.submitFailed' : 'jobs.commandFailed', `${where}: ${detail}`, {
        status: answer.status,
        errors,
      });
    }
  }

  /** Raw HTTP with the auth headers and a timeout; network failures become jobs.backendUnreachable. */
  private async send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, purpose: Purpose): Promise<Answer> {
    signal?.throwIfAborted();
    const url = `${this.base}${path}`;
    const token = await this.options.tokens.token();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.doFetch(url, {
        method,
        headers: {
          'X-SLURM-USER-NAME': this.options.user,
          'X-SLURM-USER-TOKEN': token,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const why = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : (cause ?? (err as Error).message);
      const note = purpose === 'submit' && timeout.aborted ? ' (the job may or may not have been queued)' : '';
      throw new AppError('jobs.backendUnreachable', `slurmrestd at ${this.base} is unreachable: ${why}${note}`, {
        url,
        cause: cause ?? null,
        timedOut: timeout.aborted,
      });
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 404) return { status: response.status, body: text };
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new AppError('jobs.badResponse', `slurmrestd ${method} ${path} answered HTTP ${response.status} with non-JSON: ${snippet(text)}`, {
        status: response.status,
      });
    }
  }
}
