/** Machine-readable error codes the API answers with, each with its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  read_only: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_format: 415,
  invalid_geojson: 422,
  invalid_crs: 422,
  missing_field: 422,
  invalid_file: 422,
  invalid_edit: 422,
  rate_limited: 429,
  internal_error: 500,
  not_implemented: 501,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Where in the input the problem is, and what was expected versus found. */
export interface ErrorDetails {
  field?: string;
  feature?: number;
  line?: number;
  expected?: string;
  found?: string;
  [key: string]: unknown;
}

/**
 * The one error type of the service: an HTTP status, a code clients can switch on, and a message naming the
 * problem. The error middleware is the only place that turns it into a response.
 *
 * @example throw new AppError('missing_field', "facilities.csv line 1: column 'lat' is required", { field: 'lat' });
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
  }

  /** A plain error from a reader or the engine, fed bad input by the client: its message, kept, under `code`. */
  static fromInput(err: unknown, code: ErrorCode = 'invalid_file', details?: ErrorDetails): AppError {
    if (err instanceof AppError) return err;
    // an engine error that names its field keeps it
    const field = err instanceof Error && typeof (err as { field?: unknown }).field === 'string' ? (err as unknown as { field: string }).field : undefined;
    return new AppError(code, err instanceof Error ? err.message : String(err), field !== undefined && details?.field === undefined ? { ...details, field } : details);
  }

  static notFound(what: string, id: unknown): AppError {
    return new AppError('not_found', `${what} ${String(id)} does not exist`);
  }
}
