// GET /0.1/status: wazo-dird's three statuses, the change relay between instances, and the state of
// every running source sandbox.
import type { SourceRegistry, ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { AuthProvider } from '../../../host/auth/provider.js';

export default class StatusView implements ViewPlugin {
  load({ app, services, config }: ViewLoadArgs) {
    const auth: AuthProvider = services.auth;
    const sources: SourceRegistry = services.sources;
    app.get('/0.1/status', {
      schema: { tags: ['status'], summary: 'Health of dird and of its sources' },
      config: { acl: 'dird.status.read', errors: 'api' },
    }, async () => ({
      rest_api: { status: 'ok' },
      bus_consumer: { status: config.bus?.enabled ? (services.bus?.consuming?.() ? 'ok' : 'fail') : 'disabled' },
      master_tenant: auth.status().master_tenant,
      // PostgreSQL: whether changes made through other instances on the database reach this one.
      change_relay: { status: services.change_relay?.status() ?? 'disabled' },
      sources: sources.status(),
    }));
  }
}
