import type { z } from 'zod';

/**
 * One contract method: a zod schema validating its input at the binding, and (as a phantom type)
 * the shape of its output. Handlers receive the parsed input.
 */
export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly doc: string;
  /** Phantom field carrying the output type; never set at run time. */
  readonly __output?: O;
}

/** `method<Output>()(inputSchema, doc)`: curried so the output type is explicit and the input inferred. */
export function method<O>() {
  return <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc });
}
