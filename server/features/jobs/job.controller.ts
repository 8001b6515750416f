import { Router, type Response } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import type { JobEvent } from './job.service.ts';

const TERMINAL = new Set(['succeeded', 'failed']);

function send(res: Response, e: JobEvent): void {
  const name = e.state === 'succeeded' ? 'done' : e.state === 'failed' ? 'failed' : 'progress';
  res.write(`event: ${name}\nid: ${Date.now()}\ndata: ${JSON.stringify(e)}\n\n`);
}

/** Jobs: state as JSON, and progress as Server-Sent Events (`progress`, then `done` or `failed`). */
export function jobRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/jobs/:id', async (req, res) => {
    res.json(await deps.jobs.current(idParam(req.params.id, 'id')));
  });
  r.get('/jobs/:id/events', async (req, res) => {
    const id = idParam(req.params.id, 'id');
    // subscribe before reading the state, so no event falls between the two
    let open = false;
    const pending: JobEvent[] = [];
    const stop = deps.jobs.subscribe(id, (e) => {
      if (!open) return void pending.push(e);
      send(res, e);
      if (TERMINAL.has(e.state)) finish();
    });
    let first: JobEvent;
    try {
      first = await deps.jobs.current(id);
    } catch (e) {
      stop();
      throw e;
    }
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    // a comment line every 15 s keeps proxies from closing a quiet stream
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    function finish(): void {
      clearInterval(beat);
      stop();
      res.end();
    }
    req.on('close', () => { clearInterval(beat); stop(); });
    open = true;
    const last = pending.at(-1);
    const now = last && TERMINAL.has(last.state) ? last : first;
    send(res, now);
    if (TERMINAL.has(now.state)) finish();
  });
  return r;
}
