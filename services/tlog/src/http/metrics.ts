// Prometheus metrics at /metrics: request counts and latencies per route and status, and the tree
// size. Each app owns its registry, so several apps (tests, workers) never share counters.
import type { FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogEngine } from '../rekor/engine.js';
import { NO_BODY_LIMIT } from './schemas.js';

/** Dependencies of the metrics plugin. */
export interface MetricsOptions {
  engine: LogEngine;
  /** Also export Node process metrics (heap, event loop lag…). */
  processMetrics?: boolean;
}

/** Registers the request hooks and GET /metrics. */
export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, { engine, processMetrics }) => {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'tlog_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tlog_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'tlog_tree_size',
    help: 'Entries in the Rekor log (size of the latest signed tree head)',
    registers: [registry],
    async collect() {
      this.set(Number((await engine.head()).size));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { bodyLimit: NO_BODY_LIMIT }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
};

// Registered without encapsulation (what fastify-plugin does), so the hook sees every route.
(metricsRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
