// Prometheus metrics of the CA, with Fulcio's names, in the text exposition format (version 0.0.4).
// Hand-written: three series families do not justify a metrics library. Per process: with
// node:cluster each worker answers /metrics for itself (see docs/design/ca-profile.md).
import type { FastifyInstance } from 'fastify';

/** Latency buckets in seconds (Fulcio's api latency histogram uses similar decades). */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The CA's metric registry. */
export interface Metrics {
  /** Counts one issued certificate (`fulcio_new_certs`). */
  certificateIssued(): void;
  /** Records one HTTP request (`http_requests_total`, `fulcio_api_latency`). */
  observeRequest(method: string, code: number, seconds: number): void;
  /** The exposition text. */
  render(): string;
}

/** A fresh, empty registry. */
export function createMetrics(): Metrics {
  let newCerts = 0;
  const requests = new Map<string, number>();
  const latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  return {
    certificateIssued() {
      newCerts++;
    },
    observeRequest(method, code, seconds) {
      const key = `code="${code}",method="${method}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      let h = latency.get(key);
      if (h === undefined) latency.set(key, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.buckets[i]!++;
      h.sum += seconds;
      h.count++;
    },
    render() {
      const out = [
        '# HELP fulcio_new_certs Certificates issued by this process.',
        '# TYPE fulcio_new_certs counter',
        `fulcio_new_certs ${newCerts}`,
        '# HELP http_requests_total HTTP requests by status code and method.',
        '# TYPE http_requests_total counter',
      ];
      for (const [k, v] of requests) out.push(`http_requests_total{${k}} ${v}`);
      out.push('# HELP fulcio_api_latency API latency in seconds by status code and method.', '# TYPE fulcio_api_latency histogram');
      for (const [k, h] of latency) {
        BUCKETS.forEach((b, i) => out.push(`fulcio_api_latency_bucket{${k},le="${b}"} ${h.buckets[i]}`));
        out.push(`fulcio_api_latency_bucket{${k},le="+Inf"} ${h.count}`, `fulcio_api_latency_sum{${k}} ${h.sum}`, `fulcio_api_latency_count{${k}} ${h.count}`);
      }
      const mem = process.memoryUsage();
      out.push(
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${mem.rss}`,
      );
      return out.join('\n') + '\n';
    },
  };
}

/**
 * Adds, on the root instance (not an encapsulated plugin, so it sees every route), the hook that
 * times each request, and `GET /metrics`.
 */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render()));
}
