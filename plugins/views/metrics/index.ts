// GET /0.1/metrics: Prometheus text exposition of services.metrics, behind an ACL like every route and,
// like /0.1/config, for the master tenant's tokens only: its labels name every tenant's sources.
// With `metrics.enabled: false` the route does not exist and requests are not timed (the host times them:
// DirdMetrics.instrument).
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { DirdMetrics } from '../../../host/metrics.js';

export default class MetricsView implements ViewPlugin {
  load({ app, services, config, log }: ViewLoadArgs) {
    const metrics: DirdMetrics | undefined = services.metrics;
    if (!metrics || config.metrics?.enabled === false) return;
    if (config.metrics?.listen !== undefined || config.metrics?.port !== undefined) {
      log.warn({ listen: config.metrics.listen, port: config.metrics.port }, 'metrics.listen and metrics.port are not implemented yet: /0.1/metrics is served on the REST API address');
    }
    app.get('/0.1/metrics', {
      schema: { tags: ['metrics'], summary: 'Prometheus metrics of dird and of its sources' },
      config: { acl: 'dird.metrics.read', masterTenant: true, errors: 'api' },
    }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.exposition()));
  }
}
