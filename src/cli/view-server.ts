/**
 * A local, offline viewer for vega-lite figures: a tiny HTTP server on 127.0.0.1 that serves one
 * page, vega's browser build from node_modules and the figure compiled to vega. Nothing is fetched
 * from the internet (nodeplotlib's page loads plotly.js from a CDN, so it cannot work offline).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderingStack, type VegaLiteSpec } from '../plots/render.js';

export interface ViewServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const PAGE = (title: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title.replace(/</g, '&lt;')}</title>
<style>body{font-family:sans-serif;margin:16px}#error{color:#b00}</style></head>
<body><div id="view"></div><pre id="error"></pre>
<script src="/vega.min.js"></script>
<script>
fetch('/spec.json').then((r) => r.json()).then((spec) => {
  const view = new vega.View(vega.parse(spec), { renderer: 'svg', container: '#view', hover: true });
  return view.runAsync();
}).then(() => { document.body.dataset.ready = '1'; })
  .catch((e) => { document.getElementById('error').textContent = String(e); document.body.dataset.ready = 'error'; });
</script></body></html>`;

/** Serves `spec` on 127.0.0.1:port (0 = a free port); resolves once listening. */
export async function serveFigure(spec: VegaLiteSpec, title: string, port = 0): Promise<ViewServer> {
  const { vl } = await renderingStack();
  const vegaSpec = JSON.stringify(vl.compile(spec as never).spec);
  const require = createRequire(import.meta.url);
  const vegaJs = readFileSync(require.resolve('vega/build/vega.min.js'));
  const page = PAGE(title);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') send('text/html; charset=utf-8', page);
    else if (path === '/vega.min.js') send('text/javascript; charset=utf-8', vegaJs);
    else if (path === '/spec.json') send('application/json', vegaSpec);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
