// Lookup: every lookup source of the profile searched concurrently; what arrives before the profile
// timeout is returned, a failing or late source contributes nothing (spec §3.1).
import type { Logger } from 'pino';
import type { CallArgs, ServiceLoadArgs, ServicePlugin, SourceRegistry, SourceResult } from '../../../src/contracts.js';
import type { ResolvedProfile } from '../profile/index.js';

export class LookupService {
  constructor(
    private readonly sources: SourceRegistry,
    private readonly waitAllMs: number,
    private readonly log: Logger,
  ) {}

  async lookup(profile: ResolvedProfile, term: string, args: CallArgs): Promise<SourceResult[]> {
    const service = profile.services.lookup;
    if (!service || service.sources.length === 0) {
      this.log.warn({ profile: profile.profile.name }, 'profile has no lookup sources');
      return [];
    }
    const timeout = Number(service.options.timeout) > 0 ? Number(service.options.timeout) * 1000 : this.waitAllMs;
    const deadline = Date.now() + timeout;
    const answers = await Promise.allSettled(service.sources.map((source) => this.sources.get(source).search(term, args, deadline)));
    const results: SourceResult[] = [];
    answers.forEach((answer, i) => {
      if (answer.status === 'fulfilled') results.push(...answer.value);
      else this.log.debug({ source: service.sources[i].name, reason: String(answer.reason?.message ?? answer.reason) }, 'lookup source gave nothing');
    });
    return results;
  }
}

export default class LookupServicePlugin implements ServicePlugin {
  load({ sources, config, log }: ServiceLoadArgs) {
    // Without a profile timeout wazo-dird waits for every source; dird still bounds it by the sandbox's call timeout.
    return new LookupService(sources, Number(config.sandbox?.call_timeout ?? 30) * 1000, log);
  }
}
