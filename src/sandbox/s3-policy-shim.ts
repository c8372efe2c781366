/**
 * A pass-through HTTP shim in front of moto's S3 that works around one emulator limitation: moto enforces bucket
 * policies on object operations but ignores their Condition blocks ("Conditions are not taken into account",
 * moto/s3/models.py put_bucket_policy). The stacks' policy denies `s3:*` when `aws:SecureTransport` is false, which
 * moto therefore applies to every request, refusing all object uploads.
 *
 * The shim keeps the policy exactly as written (GetBucketPolicy answers it byte for byte, so Terraform sees no diff)
 * and hands moto only the statements moto can evaluate faithfully: Deny statements with a Condition are removed
 * (an empty remainder deletes moto's copy). Everything else is forwarded unchanged.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

/** Connections to moto are not reused: a kept-alive socket moto closes while a request is sent on it fails that request. */
const NO_KEEPALIVE = new http.Agent({ keepAlive: false });

export class S3PolicyShim {
  private server?: http.Server;
  private readonly policies = new Map<string, Buffer>();
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    // A peer that goes away mid-exchange (a SIGKILLed provider mid-body, moto dropping a response) ends that exchange
    // only: a 502 when nothing was sent yet (the SDK and the provider retry it), never an error thrown in this process.
    this.server = http.createServer((req, res) => {
      res.on('error', () => undefined);
      this.handle(req, res).catch((e: Error) => {
        if (res.headersSent || !res.socket || res.socket.destroyed) {
          res.destroy();
          return;
        }
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`s3 policy shim: ${e.message}`);
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bucket = url.pathname.split('/').filter(Boolean)[0];
    const isPolicy = url.searchParams.has('policy') && bucket && url.pathname.split('/').filter(Boolean).length === 1;
    const body = await readBody(req);
    if (isPolicy && req.method === 'GET' && this.policies.has(bucket)) {
      const p = this.policies.get(bucket)!;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': p.length });
      res.end(p);
      return;
    }
    if (isPolicy && req.method === 'PUT') {
      let doc: { Statement?: Array<Record<string, unknown>> } | undefined;
      try {
        doc = JSON.parse(body.toString('utf8')) as typeof doc;
      } catch {
        doc = undefined;
      }
      if (doc && Array.isArray(doc.Statement)) {
        const kept = doc.Statement.filter((s) => !(s.Effect === 'Deny' && s.Condition));
        if (kept.length !== doc.Statement.length) {
          const upstream = await this.forward(req, kept.length ? Buffer.from(JSON.stringify({ ...doc, Statement: kept })) : Buffer.alloc(0), kept.length ? 'PUT' : 'DELETE');
          if (upstream.status < 300) this.policies.set(bucket, body);
          res.writeHead(upstream.status < 300 ? 204 : upstream.status, upstream.headers);
          res.end(upstream.status < 300 ? undefined : upstream.body);
          return;
        }
      }
      this.policies.delete(bucket);
    }
    if (isPolicy && req.method === 'DELETE') this.policies.delete(bucket);
    if (req.method === 'DELETE' && url.pathname.split('/').filter(Boolean).length === 1 && url.search === '') this.policies.delete(bucket);
    const upstream = await this.forward(req, body, req.method ?? 'GET');
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
    method: string,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    if (method !== req.method || body.length !== Number(req.headers['content-length'] ?? body.length)) {
      for (const h of Object.keys(headers)) if (/^(content-md5|x-amz-checksum-|x-amz-sdk-checksum|x-amz-content-sha256)/i.test(h)) delete headers[h];
      headers['content-length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      const up = http.request({ host: '127.0.0.1', port: this.upstreamPort, method, path: req.url, headers, agent: NO_KEEPALIVE }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
