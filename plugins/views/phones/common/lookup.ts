// The search behind every phone page, run in process. A phone names its user (`xivo_user_uuid`), not a
// token: the user's tenant comes from the auth server (or the static tokens), the profile is looked up by
// name in that tenant, then the profile's lookup sources are searched as for the JSON lookup.
import type { ServiceMap, SourceResult } from '../../../../src/contracts.js';
import { LegacyError } from '../../../../src/errors.js';
import { AuthUnreachableError } from '../../../../host/auth/errors.js';
import type { AuthProvider } from '../../../../host/auth/provider.js';
import type { LookupService } from '../../../services/lookup/index.js';
import type { ProfileService, ResolvedProfile } from '../../../services/profile/index.js';
import { toRows, type PhoneRow } from './rows.js';

export interface PhoneSearch {
  profile: ResolvedProfile;
  results: SourceResult[];
}

export class PhoneLookup {
  constructor(private readonly services: ServiceMap) {}

  async search(profileName: string, userUuid: string, term: string): Promise<PhoneSearch> {
    const tenant = await this.userTenant(userUuid);
    const profiles: ProfileService = this.services.profile;
    const profile = await profiles.resolve(tenant, profileName);
    if (!profile) throw new LegacyError(404, `The profile \`${profileName}\` does not exist`);
    const lookup: LookupService = this.services.lookup;
    const results = await lookup.lookup(profile, term, { token: null, user_uuid: userUuid, xivo_user_uuid: userUuid, tenant_uuid: tenant });
    return { profile, results };
  }

  async rows(profileName: string, userUuid: string, term: string): Promise<PhoneRow[]> {
    const { profile, results } = await this.search(profileName, userUuid, term);
    return toRows(profile.display, results);
  }

  private async userTenant(userUuid: string): Promise<string> {
    const auth: AuthProvider = this.services.auth;
    let tenant: string | null;
    try {
      tenant = await auth.userTenant(userUuid);
    } catch (error) {
      if (error instanceof AuthUnreachableError) throw new LegacyError(503, `Authentication server unreachable: ${error.originalError}`);
      throw error;
    }
    if (!tenant) throw new LegacyError(404, `Unknown user: ${userUuid}`);
    return tenant;
  }
}
