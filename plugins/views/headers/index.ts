// wazo-dird's `headers_view`: the column headers and types of a profile's display.
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import { headers } from '../../../src/display.js';
import { LegacyError } from '../../../src/errors.js';
import type { ProfileService } from '../../services/profile/index.js';

export default class HeadersView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs) {
    const profiles: ProfileService = services.profile;
    app.get<{ Params: { profile: string } }>('/0.1/directories/lookup/:profile/headers', {
      schema: {
        tags: ['directories'],
        summary: 'Column headers of a profile',
        params: { type: 'object', properties: { profile: { type: 'string' } }, required: ['profile'] },
      },
      config: { acl: 'dird.directories.lookup.{profile}.headers.read', errors: 'legacy' },
    }, async (request) => {
      const name = request.params.profile;
      const profile = await profiles.resolve(await request.dird.tenant(), name);
      if (!profile) throw new LegacyError(404, `The profile \`${name}\` does not exist`);
      return headers(profile.display);
    });
  }
}
