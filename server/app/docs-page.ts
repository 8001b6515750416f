import { escapeHtml } from '../features/exports/report-format.ts';

type Schema = Record<string, unknown>;

/**
 * The API reference as one self-contained HTML page rendered from the OpenAPI document: no scripts and no
 * CDN, so it works on an intranet and under a strict Content-Security-Policy.
 *
 * @example res.type('html').send(docsPage(openApiDocument('0.1.0')));
 */
export function docsPage(doc: Schema): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const schemas = ((doc.components as Schema).schemas ?? {}) as Record<string, Schema>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, o] of Object.entries(ops)) {
      const tag = ((o.tags as string[]) ?? ['other'])[0];
      const params = ((o.parameters as Schema[]) ?? []).map((p) => `<li><code>${escapeHtml(String(p.name))}</code> <em>${escapeHtml(String(p.in))}</em>${p.required ? ' required' : ''}${p.description ? ` — ${escapeHtml(String(p.description))}` : ''}</li>`).join('');
      const body = (o.requestBody as { content: Record<string, { schema: Schema }> } | undefined)?.content;
      const bodyHtml = body ? Object.entries(body).map(([type, c]) => `<p>Body <code>${escapeHtml(type)}</code></p><pre>${escapeHtml(JSON.stringify(c.schema, null, 2))}</pre>`).join('') : '';
      const responses = Object.entries(o.responses as Record<string, { description: string }>).map(([code, r]) => `<li><code>${code}</code> ${escapeHtml(r.description)}</li>`).join('');
      const lock = (o.security as unknown[]).length > 0 ? '<span class="lock" title="needs the bearer token">token</span>' : '';
      const html = `<details><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${lock} — ${escapeHtml(String(o.summary))}</summary>
${params ? `<p>Parameters</p><ul>${params}</ul>` : ''}${bodyHtml}<p>Responses</p><ul>${responses}</ul></details>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>\n${ops.join('\n')}`).join('\n');
  const schemaHtml = Object.entries(schemas).map(([name, s]) => `<details><summary><code>${escapeHtml(name)}</code></summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#222}
details{border:1px solid #ddd;border-radius:4px;margin:.3rem 0;padding:.3rem .6rem}summary{cursor:pointer}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8rem}.m{display:inline-block;width:4.2rem;font-weight:700;font-size:.8rem}
.get{color:#06c}.post{color:#080}.patch{color:#a60}.delete{color:#b00}.lock{font-size:.7rem;background:#eee;border-radius:3px;padding:0 .3rem}
</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>. Example: <code>curl -X POST -H 'Authorization: Bearer TOKEN' -H 'Content-Type: application/json' -d '{"preset":"elderly-care-15min"}' http://HOST/api/analyses</code></p>
${sections}
<h2>Schemas</h2>
${schemaHtml}
</body></html>
`;
}
