import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exchange, ExchangeTimeoutError } from '../../src/shared/index.js';

/**
 * The dispatch-level exchange under the Magento client and the http sink, against a real
 * loopback server: what the sinks' own tests cannot reach, such as a request that is still
 * queued behind a busy connection when its deadline or its abort comes.
 */
describe('http exchange', () => {
  let server: Server;
  let origin: string;
  const seen: string[] = [];
  let agent: Agent;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      seen.push(request.url ?? '');
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const delayMs = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
        setTimeout(() => {
          response.writeHead(201, { 'content-type': 'text/plain', 'x-echo': request.method ?? '' });
          response.end(Buffer.concat(chunks).toString('utf8').toUpperCase() || 'empty');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new Agent({ connections: 1 });
  });
  afterAll(async () => {
    await agent?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('sends the method, path, headers and body, and collects status, headers and the whole answer', async () => {
    const response = await exchange(
      agent,
      { origin, path: '/echo?x=1', method: 'POST', headers: { 'x-test': '1' }, body: Buffer.from('hello') },
      { timeoutMs: 2000, maxBodyBytes: 1000 },
    );
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-echo']).toBe('POST');
    expect(response.body.toString('utf8')).toBe('HELLO');
    expect(response.truncated).toBe(false);
    expect(seen).toContain('/echo?x=1');
  });

  it('cuts an answer at maxBodyBytes and says so', async () => {
    const response = await exchange(
      agent,
      { origin, path: '/cut', method: 'POST', headers: {}, body: Buffer.from('abcdefghij') },
      { timeoutMs: 2000, maxBodyBytes: 4 },
    );
    expect(response.body.toString('utf8')).toBe('ABCD');
    expect(response.truncated).toBe(true);
  });

  it('times out a request still queued behind a busy connection, and never sends it', async () => {
    seen.length = 0;
    const busy = exchange(
      agent,
      { origin, path: '/busy?delay=600', method: 'GET', headers: {} },
      { timeoutMs: 5000, maxBodyBytes: 1000 },
    );
    const started = performance.now();
    const queued = exchange(
      agent,
      { origin, path: '/queued', method: 'GET', headers: {} },
      { timeoutMs: 150, maxBodyBytes: 1000 },
    );
    await expect(queued).rejects.toBeInstanceOf(ExchangeTimeoutError);
    expect(performance.now() - started).toBeLessThan(500);
    expect((await busy).statusCode).toBe(201);
    // The connection is free again; the timed-out request was dropped, not sent late.
    await exchange(
      agent,
      { origin, path: '/after', method: 'GET', headers: {} },
      { timeoutMs: 2000, maxBodyBytes: 10 },
    );
    expect(seen).toEqual(['/busy?delay=600', '/after']);
  });

  it('stops when the caller aborts, before the request is sent or while it waits for the answer', async () => {
    const early = new AbortController();
    early.abort(new Error('channel closed'));
    await expect(
      exchange(
        agent,
        { origin, path: '/early', method: 'GET', headers: {} },
        {
          timeoutMs: 2000,
          maxBodyBytes: 10,
          signal: early.signal,
        },
      ),
    ).rejects.toThrow('channel closed');

    const late = new AbortController();
    const pending = exchange(
      agent,
      { origin, path: '/late?delay=1000', method: 'GET', headers: {} },
      {
        timeoutMs: 5000,
        maxBodyBytes: 10,
        signal: late.signal,
      },
    );
    setTimeout(() => late.abort(new Error('shutting down')), 100);
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('rejects with the connection error when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      exchange(
        agent,
        { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET', headers: {} },
        {
          timeoutMs: 2000,
          maxBodyBytes: 10,
        },
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
