import { api, isMethodName, METHOD_NAMES, type MethodName, type MethodOutput, type ParsedInput } from '../../shared/contract/api';
import { serializeError, type Result } from '../../shared/contract/errors';

export interface CallContext {
  transport: 'ipc' | 'http' | 'cli' | 'test';
  /** Aborted when the caller goes away (HTTP request closed, window destroyed). */
  signal?: AbortSignal;
}

/** One implementation per contract method; the input is already validated and parsed. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

export type Dispatch = (name: string, rawInput: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/**
 * The one binding: walks the method table, validates each input against its schema and turns every
 * outcome into a `Result`. Transports (IPC, HTTP, CLI) call the returned dispatcher or register each
 * method through `register`; no exception ever escapes to a transport.
 */
export function bindContract(
  handlers: Handlers,
  register?: (name: MethodName, call: (rawInput: unknown, ctx: CallContext) => Promise<Result<unknown>>) => void,
): Dispatch {
  const calls = new Map<MethodName, (rawInput: unknown, ctx: CallContext) => Promise<Result<unknown>>>();
  for (const name of METHOD_NAMES) {
    const spec = api[name];
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const call = async (rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> => {
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
        return {
          ok: false,
          error: {
            code: 'validation',
            message: `Invalid input to ${name}${where}: ${issue?.message ?? 'invalid'}`,
            details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
          },
        };
      }
      try {
        const value = await handler(parsed.data, ctx);
        return { ok: true, value: value === undefined ? null : value };
      } catch (err) {
        return { ok: false, error: serializeError(err) };
      }
    };
    calls.set(name, call);
    register?.(name, call);
  }
  return async (name, rawInput, ctx) => {
    const call = isMethodName(name) ? calls.get(name) : undefined;
    if (!call) return { ok: false, error: { code: 'notFound', message: `Unknown method: ${name}` } };
    return call(rawInput, ctx);
  };
}
