// GET / PATCH /0.1/config: the effective configuration, secrets masked; PATCH toggles debug logging.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { redact } from '../../../src/config/redact.js';

const patchSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { op: { const: 'replace' }, path: { const: '/debug' }, value: { type: 'boolean' } },
    required: ['op', 'path', 'value'],
    additionalProperties: false,
  },
};

export default class ConfigView implements ViewPlugin {
  load({ app, config, services }: ViewLoadArgs) {
    const route = { masterTenant: true, errors: 'api' as const };
    app.get('/0.1/config', {
      schema: { tags: ['config'], summary: 'Effective configuration (secrets masked)' },
      config: { ...route, acl: 'dird.config.read' },
    }, async () => redact(config));

    app.patch<{ Body: Array<{ value: boolean }> }>('/0.1/config', {
      schema: { tags: ['config'], summary: 'Turn debug logging on or off', body: patchSchema },
      config: { ...route, acl: 'dird.config.update' },
    }, async (request) => {
      for (const { value } of request.body) {
        config.debug = value;
        services.logging.setLevel(value ? 'debug' : config.log_level === 'debug' ? 'info' : config.log_level);
      }
      return redact(config);
    });
  }
}
