// Reverse: the first non-null firstMatch of the profile's reverse sources, in completion order, within
// the profile timeout (default 1 s); reverseMany merges matchAll answers the same way (spec §3.2).
import type { Logger } from 'pino';
import type { CallArgs, ServiceLoadArgs, ServicePlugin, SourceRegistry, SourceResult } from '../../../src/contracts.js';
import type { ResolvedProfile } from '../profile/index.js';

const DEFAULT_TIMEOUT_S = 1;

export class ReverseService {
  constructor(
    private readonly sources: SourceRegistry,
    private readonly log: Logger,
  ) {}

  reverse(profile: ResolvedProfile, exten: string, args: CallArgs): Promise<SourceResult | null> {
    const { sources, deadline } = this.plan(profile);
    return new Promise((resolve) => {
      let pending = sources.length;
      if (pending === 0) return resolve(null);
      for (const source of sources) {
        this.sources
          .get(source)
          .firstMatch(exten, args, deadline)
          .then((result) => result && resolve(result), (error) => this.note(source.name, error))
          .finally(() => --pending === 0 && resolve(null));
      }
    });
  }

  /** One entry per exten, in input order; null where no source matched before the deadline. */
  reverseMany(profile: ResolvedProfile, extens: string[], args: CallArgs): Promise<(SourceResult | null)[]> {
    const { sources, deadline } = this.plan(profile);
    const found = new Map<string, SourceResult>();
    const answer = () => extens.map((exten) => found.get(exten) ?? null);
    return new Promise((resolve) => {
      let pending = sources.length;
      if (pending === 0 || extens.length === 0) return resolve(answer());
      const timer = setTimeout(() => resolve(answer()), Math.max(0, deadline - Date.now()));
      const finish = () => {
        clearTimeout(timer);
        resolve(answer());
      };
      for (const source of sources) {
        this.sources
          .get(source)
          .matchAll(extens, args, deadline)
          .then((matches) => {
            for (const [exten, result] of Object.entries(matches ?? {})) found.set(exten, result);
            if (extens.every((exten) => found.has(exten))) finish();
          }, (error) => this.note(source.name, error))
          .finally(() => --pending === 0 && finish());
      }
    });
  }

  private plan(profile: ResolvedProfile) {
    const service = profile.services.reverse;
    const timeout = Number(service?.options.timeout) > 0 ? Number(service!.options.timeout) : DEFAULT_TIMEOUT_S;
    return { sources: service?.sources ?? [], deadline: Date.now() + timeout * 1000 };
  }

  private note(source: string, error: any) {
    this.log.debug({ source, reason: String(error?.message ?? error) }, 'reverse source gave nothing');
  }
}

export default class ReverseServicePlugin implements ServicePlugin {
  load({ sources, log }: ServiceLoadArgs) {
    return new ReverseService(sources, log);
  }
}
