// Gigaset PRO / N-series XML directory: provision `/0.1/directories/lookup/<profile>/gigaset/<uuid>?`;
// the phone appends `set_first` (term), `count` (limit) and `first` (1-based offset) (spec §2.8).
import type { PluginClass, ViewLoadArgs, ViewPlugin } from '../../../../src/contracts.js';
import { PhoneLookup } from '../common/lookup.js';
import { paginate, type Paging } from '../common/paging.js';
import type { PhoneRow } from '../common/rows.js';
import { phoneApiOf } from '../common/vendor.js';
import { leaf, xmlDocument } from '../common/xml.js';

export function results({ rows, total, offset, next }: Paging<PhoneRow>): string {
  const attributes = { response: 'get_list', type: 'pr', total, first: offset + 1, last: next ?? total };
  return xmlDocument('list', total === 0 ? { ...attributes, first: 1, last: 0 } : attributes, (root) => {
    for (const row of rows) {
      const space = row.name.search(/\s/);
      const entry = root.ele('entry').att('id', row.number);
      leaf(entry, 'ln', space < 0 ? '' : row.name.slice(space + 1));
      leaf(entry, 'fn', space < 0 ? row.name : row.name.slice(0, space));
      leaf(entry, 'hm', row.number);
    }
  });
}

const params = {
  type: 'object',
  properties: { profile: { type: 'string' }, user_uuid: { type: 'string', minLength: 1 } },
  required: ['profile', 'user_uuid'],
};
const query = {
  type: 'object',
  properties: { set_first: { type: 'string', default: '' }, count: { type: 'integer', minimum: 1 }, first: { type: 'integer', minimum: 1, default: 1 } },
};

const GigasetView: PluginClass<ViewPlugin> = class implements ViewPlugin {
  load(args: ViewLoadArgs) {
    const api = phoneApiOf(args);
    if (!api) return;
    const lookup = new PhoneLookup(args.services);
    api.app.get<{ Params: { profile: string; user_uuid: string }; Querystring: { set_first: string; count?: number; first: number } }>(
      '/0.1/directories/lookup/:profile/gigaset/:user_uuid',
      { schema: { params, querystring: query }, config: { errors: 'legacy' } },
      async (request, reply) => {
        const term = request.query.set_first.replaceAll('*', '');
        const rows = await lookup.rows(request.params.profile, request.params.user_uuid, term);
        const page = paginate(rows, request.query.first - 1, request.query.count ?? null);
        return reply.header('content-type', 'text/xml').send(results(page));
      },
    );
  }
};

export default GigasetView;
