// Request validation with zod: a failure becomes a 400 whose message names the first bad field
// (`query.limit`, `body.lines[0].sku`) and whose details list every problem.
import { z } from 'zod';
import { HttpError } from './errors.js';

export type RequestPart = 'body' | 'query' | 'params';

export function fieldPath(part: RequestPart, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    part,
  );
}

export class RequestValidationError extends HttpError {
  constructor(readonly errors: { field: string; message: string }[]) {
    const first = errors[0] ?? { field: 'request', message: 'is invalid' };
    super(400, 'validation_failed', `${first.field}: ${first.message}`, {
      field: first.field,
      errors,
    });
    this.name = 'RequestValidationError';
  }
}

export function validate<S extends z.ZodType>(
  part: RequestPart,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.map((issue) => ({
      field: fieldPath(part, issue.path),
      message: issue.message,
    })),
  );
}

/** A whole-number query parameter (page, limit...) with bounds and a default. */
export const intParam = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);
