/**
 * The demo stack's subscriber: receives deliveries on `--port` (default 8092) like any webhook
 * endpoint, checks `x-magento-signature` with `--secret`, and shows the last 200 deliveries on a
 * page at `--view-port` (default 8093), newest first: time, path, event type and id, signature
 * check, and the body. Used by `docker-compose --profile demo up`.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { stopOnSignal } from '../fixtures/stopOnSignal.js';
import {
  type ReceivedRequest,
  startWebhookReceiver,
  verifyMagentoSignature,
} from '../fixtures/webhook-receiver/index.js';

const KEEP = 200;

interface Shown {
  at: string;
  path: string;
  type: string;
  id: string;
  signature: 'valid' | 'INVALID' | 'missing';
  body: string;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

function shown(request: ReceivedRequest, secret: string): Shown {
  const signature = request.headers['x-magento-signature'];
  return {
    at: new Date(request.receivedAt).toISOString(),
    path: request.path,
    type: request.event?.type ?? '(not a CloudEvent)',
    id: request.event?.id ?? '',
    signature:
      typeof signature !== 'string'
        ? 'missing'
        : verifyMagentoSignature(request.rawBody, signature, secret)
          ? 'valid'
          : 'INVALID',
    body: request.rawBody.subarray(0, 4096).toString('utf8'),
  };
}

function page(deliveries: readonly Shown[]): string {
  const rows = deliveries
    .map(
      (delivery) =>
        `<tr><td>${escapeHtml(delivery.at)}</td><td>${escapeHtml(delivery.path)}</td><td>${escapeHtml(delivery.type)}</td><td><code>${escapeHtml(delivery.id)}</code></td><td class="${delivery.signature === 'valid' ? 'ok' : 'bad'}">${delivery.signature}</td><td><pre>${escapeHtml(delivery.body)}</pre></td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Webhook viewer</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}pre{margin:0;max-height:8rem;overflow:auto;white-space:pre-wrap;word-break:break-all}.ok{color:#087f23}.bad{color:#b00020}</style></head>
<body><h1>Webhook viewer</h1><p>${deliveries.length} most recent deliveries (refreshes every 3 s).</p>
<table><tr><th>Received</th><th>Path</th><th>Event</th><th>Id</th><th>Signature</th><th>Body</th></tr>${rows}</table></body></html>`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8092' },
      'view-port': { type: 'string', default: '8093' },
      host: { type: 'string', default: '0.0.0.0' },
      secret: { type: 'string', default: 'demo-secret' },
    },
    strict: true,
  });
  const deliveries: Shown[] = [];
  const receiver = await startWebhookReceiver({
    port: Number(values.port),
    host: values.host,
    onRequest: (request) => {
      deliveries.unshift(shown(request, values.secret));
      deliveries.length = Math.min(deliveries.length, KEEP);
    },
  });
  const viewer = createServer((request, response) => {
    if (request.url === '/deliveries.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deliveries));
      return;
    }
    response
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .end(page(deliveries));
  });
  await new Promise<void>((resolve) => viewer.listen(Number(values['view-port']), values.host, resolve));
  console.log(
    `Webhook viewer: deliveries to ${receiver.url}, page on http://${values.host}:${values['view-port']}/`,
  );
  stopOnSignal('Webhook viewer', async () => {
    await receiver.close();
    await new Promise<void>((resolve) => viewer.close(() => resolve()));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
