// Routes of profiles (spec §2.4): /0.1/profiles[/{profile_uuid}], ACLs dird.profiles.* (see common/crud.ts).
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { ProfileService } from '../../services/profile/index.js';
import { profileBodySchema } from '../../services/profile/schema.js';
import { crudRoutes } from '../common/crud.js';

export default class ProfilesView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    crudRoutes(app, {
      resource: 'profiles',
      item: 'profile',
      body: profileBodySchema,
      service: () => services.profile as ProfileService,
    });
  }
}
