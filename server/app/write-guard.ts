import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from './app-error.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes (any method but GET/HEAD/OPTIONS) need `Authorization: Bearer <token>`; in read-only mode they are
 * refused outright, token or not.
 *
 * @example app.use('/api', writeGuard({ token: 's3cret', readOnly: false }));
 */
export function writeGuard(options: { token: string; readOnly: boolean }): RequestHandler {
  const expected = Buffer.from(options.token, 'utf8');
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const path = `${req.baseUrl}${req.path}`;
    if (options.readOnly) throw new AppError('read_only', `${req.method} ${path}: the service runs read-only (LIFECIRCLE_READ_ONLY); only GET requests are served`);
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const given = Buffer.from(match?.[1] ?? '', 'utf8');
    // constant-time compare so the token cannot be guessed byte by byte from response times
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    if (!ok) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="lifecircle"');
      throw new AppError('unauthorized', match
        ? `${req.method} ${path}: the bearer token is not the service's token`
        : `${req.method} ${path}: writes need an 'Authorization: Bearer <token>' header (the token is printed at start, or set LIFECIRCLE_TOKEN)`);
    }
    next();
  };
}

// one limiter per app (its limits object), so every heavy endpoint draws on the same budget
const limiters = new WeakMap<object, RequestHandler>();

/**
 * Rate limit for the endpoints that compute or parse (analyses, imports, what-if, exports), per client IP,
 * shared by all of them within one app.
 *
 * @example router.post('/analyses', heavyRateLimit(deps.limits), handler);
 */
export function heavyRateLimit(limits: { heavyPerMinute: number }): RequestHandler {
  let limiter = limiters.get(limits);
  if (!limiter) {
    limiter = rateLimit({
      windowMs: 60_000,
      limit: limits.heavyPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, _res, next) => next(new AppError('rate_limited', `${req.method} ${req.baseUrl}${req.path}: more than ${limits.heavyPerMinute} heavy requests a minute from this client; wait and retry`)),
    });
    limiters.set(limits, limiter);
  }
  return limiter;
}
