import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

const PLACEHOLDER = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>lifecircle 生活圈</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem;color:#222}</style>
</head><body>
<h1>lifecircle 生活圈</h1>
<p>The API is running, but the map (the web app) is not built here: there is no <code>web/dist</code>.</p>
<p>地图界面尚未构建（缺少 <code>web/dist</code>），API 已在运行。</p>
<ul>
<li><a href="/api/docs">API reference / 接口文档</a> (<a href="/api/openapi.json">openapi.json</a>)</li>
<li><a href="/api/regions">Regions / 区域</a> · <a href="/api/presets">Presets / 服务圈标准</a> · <a href="/api/analyses">Analyses / 分析结果</a></li>
</ul>
</body></html>
`;

/**
 * Serves the built web app from `webDist` (index.html for any non-API path, so client routes load), or a
 * placeholder page saying the map is not built and linking the API docs.
 *
 * @example app.use(webApp(existsSync('web/dist') ? 'web/dist' : null));
 */
export function webApp(webDist: string | null): Router {
  const r = Router();
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    r.use(express.static(webDist, { index: 'index.html', maxAge: '1h', dotfiles: 'ignore' }));
    r.get(/^(?!\/api(\/|$)).*/, (_req, res) => res.sendFile('index.html', { root: webDist }));
  } else {
    r.get(/^(?!\/api(\/|$)).*/, (_req, res) => res.type('html').send(PLACEHOLDER));
  }
  return r;
}
