// Errors that carry an HTTP status and a client-safe message. Anything else that reaches the
// error middleware is an internal error: logged in full, answered with a generic 500.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class ValidationError extends HttpError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(400, 'validation_failed', `${field}: ${problem}`, { field });
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(409, 'conflict', message, details);
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(503, code, message, details);
  }
}
