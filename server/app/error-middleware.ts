import type { ErrorRequestHandler } from 'express';
import { AppError } from './app-error.ts';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
  field?: string;
  message?: string;
}

/** Errors raised by express, body-parser and multer, as our error type. */
function fromFramework(err: HttpishError): AppError | undefined {
  if (err.type === 'entity.too.large') return new AppError('payload_too_large', `request body is larger than the limit (${err.message})`);
  if (err.type === 'entity.parse.failed') return new AppError('bad_request', `request body is not valid JSON: ${err.message}`);
  // body-parser hands zlib's own error on when a body is not what its Content-Encoding says
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) return new AppError('bad_request', `request body does not match its Content-Encoding (${err.message})`);
  if (err.type?.startsWith('encoding.') || err.type === 'charset.unsupported') return new AppError('unsupported_format', err.message ?? 'unsupported body encoding');
  if (typeof err.code === 'string' && err.code.startsWith('LIMIT_')) {
    const status = err.code === 'LIMIT_FILE_SIZE' ? 'payload_too_large' : 'bad_request';
    return new AppError(status, `upload: ${err.message ?? err.code}${err.field ? ` (field '${err.field}')` : ''}`, { field: err.field });
  }
  return undefined;
}

/**
 * The one place errors become responses: `{ error: { code, message, details } }` with the error's status;
 * anything that is not an AppError is a 500 whose message is logged, not sent.
 */
export function errorMiddleware(log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const known = err instanceof AppError ? err : fromFramework((err ?? {}) as HttpishError);
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } });
      return;
    }
    log(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    res.status(500).json({ error: { code: 'internal_error', message: 'internal error; the server log has the details' } });
  };
}
