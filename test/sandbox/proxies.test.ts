/**
 * The emulator sandbox's two in-process HTTP front ends (the MWAA fake, which is also the provider's HTTP proxy for
 * everything else, and the S3 policy shim in front of moto) survive a peer that goes away mid-request. A SIGKILLed
 * provider (the kill tests) drops its connections with request bodies half sent, and moto sometimes drops a response
 * half read. Either used to surface as an uncaught "aborted" error in the process that hosts the emulators (the test
 * runner), failing whichever test ran then. Here: the peer goes away, the process sees no uncaught error, and the
 * front end keeps answering.
 */
import * as http from 'http';
import * as net from 'net';
import { AddressInfo } from 'net';
import { MwaaFake } from '../../src/sandbox/mwaa-fake';
import { S3PolicyShim } from '../../src/sandbox/s3-policy-shim';

const servers: http.Server[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Records what reaches the process's uncaught handlers while `fn` runs (and a little after). */
async function uncaughtDuring(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onErr = (e: unknown) => seen.push(String((e as Error)?.message ?? e));
  process.on('uncaughtException', onErr);
  process.on('unhandledRejection', onErr);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    process.off('uncaughtException', onErr);
    process.off('unhandledRejection', onErr);
  }
  return seen;
}

/** An upstream that answers `/ok` and, for anything else, sends headers promising 100 bytes, then drops the connection. */
async function flakyUpstream(): Promise<number> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/ok')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
}

/** A client that starts a request with a 1,000-byte body, sends 10 bytes of it, and disappears (what SIGKILL does). */
function abandon(port: number, target: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(`PUT ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000\r\n\r\n0123456789`);
      setTimeout(() => {
        sock.destroy();
        resolve();
      }, 50);
    });
    sock.on('error', () => undefined);
  });
}

function get(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the MWAA fake', () => {
  async function fake(): Promise<number> {
    const f = new MwaaFake();
    stops.push(() => f.stop());
    return f.start();
  }

  test('a client gone mid-body on its own API: no uncaught error, and it keeps answering', async () => {
    const port = await fake();
    const seen = await uncaughtDuring(() => abandon(port, '/environments/x'));
    expect(seen).toEqual([]);
    expect((await get(port, '/environments')).status).toBe(200);
  });

  test('as the provider proxy: a client gone mid-body, or an upstream gone mid-response, raises nothing; it keeps proxying', async () => {
    const port = await fake();
    const up = await flakyUpstream();
    const seen = await uncaughtDuring(async () => {
      await abandon(port, `http://127.0.0.1:${up}/bucket/key`, `127.0.0.1:${up}`);
      await get(port, `http://127.0.0.1:${up}/bucket/drop`).catch(() => undefined);
    });
    expect(seen).toEqual([]);
    expect(await get(port, `http://127.0.0.1:${up}/bucket/ok`)).toEqual({ status: 200, body: 'ok' });
  });
});

describe('the S3 policy shim', () => {
  async function shim(): Promise<number> {
    const s = new S3PolicyShim(await flakyUpstream());
    stops.push(() => s.stop());
    await s.start();
    return s.port;
  }

  test('a client gone mid-body: no uncaught error, and it keeps answering', async () => {
    const port = await shim();
    const seen = await uncaughtDuring(() => abandon(port, '/bucket/key'));
    expect(seen).toEqual([]);
    expect(await get(port, '/bucket/ok')).toEqual({ status: 200, body: 'ok' });
  });

  test('moto gone mid-response: the client gets a 502 it can retry (the SDK and the provider retry 502), nothing uncaught', async () => {
    const port = await shim();
    let answer: { status: number; body: string } | undefined;
    const seen = await uncaughtDuring(async () => {
      answer = await get(port, '/bucket/drop');
    });
    expect(seen).toEqual([]);
    expect(answer!.status).toBe(502);
    expect(await get(port, '/bucket/ok')).toEqual({ status: 200, body: 'ok' });
  });
});
