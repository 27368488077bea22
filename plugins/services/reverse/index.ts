// Reverse: within the profile timeout (default 1 s), the first non-null firstMatch of the profile's reverse
// sources in completion order (`order: first_answer`, spec §3.2), or with `order: priority` the answer of
// the first source in profile order that matches; reverseMany merges matchAll answers the same ways.
import type { Logger } from 'pino';
import type { CallArgs, ServiceLoadArgs, ServicePlugin, SourceConfig, SourceRegistry, SourceResult } from '../../../src/contracts.js';
import type { ResolvedProfile } from '../profile/index.js';
import { ReverseCache } from './cache.js';
import { firstAnswer, firstAnswers, inPriority, inPriorityMany, type Ask } from './order.js';

const DEFAULT_TIMEOUT_S = 1;

export class ReverseService {
  constructor(
    private readonly sources: SourceRegistry,
    private readonly log: Logger,
    /** Per-source answer cache (main/source `reverse_cache`); `cache.onOutcome` counts hits for metrics. */
    readonly cache = new ReverseCache(undefined, log),
  ) {}

  reverse(profile: ResolvedProfile, exten: string, args: CallArgs): Promise<SourceResult | null> {
    const { sources, deadline, order } = this.plan(profile);
    const asks: Ask<SourceResult | null>[] = sources.map((source) => () =>
      this.firstMatch(source, exten, args, deadline).catch((error) => this.note(source.name, error, null)));
    return order === 'priority' ? inPriority(asks, deadline) : firstAnswer(asks, deadline);
  }

  /** One entry per exten, in input order; null where no source matched before the deadline. */
  reverseMany(profile: ResolvedProfile, extens: string[], args: CallArgs): Promise<(SourceResult | null)[]> {
    const { sources, deadline, order } = this.plan(profile);
    const asks: Ask<Record<string, SourceResult>>[] = sources.map((source) => () =>
      this.matchAll(source, extens, args, deadline).catch((error) => this.note(source.name, error, {})));
    return order === 'priority' ? inPriorityMany(asks, extens, deadline) : firstAnswers(asks, extens, deadline);
  }

  protected firstMatch(source: SourceConfig, exten: string, args: CallArgs, deadline: number) {
    return this.cache.firstMatch(source, exten, args, deadline, (until) => this.sources.get(source).firstMatch(exten, args, until));
  }

  protected matchAll(source: SourceConfig, extens: string[], args: CallArgs, deadline: number) {
    return this.cache.matchAll(source, extens, args, deadline, (wanted, until) => this.sources.get(source).matchAll(wanted, args, until));
  }

  private plan(profile: ResolvedProfile) {
    const service = profile.services.reverse;
    const timeout = Number(service?.options.timeout) > 0 ? Number(service!.options.timeout) : DEFAULT_TIMEOUT_S;
    const order = service?.options.order === 'priority' ? 'priority' : 'first_answer';
    return { sources: service?.sources ?? [], deadline: Date.now() + timeout * 1000, order };
  }

  private note<T>(source: string, error: any, nothing: T): T {
    this.log.debug({ source, reason: String(error?.message ?? error) }, 'reverse source gave nothing');
    return nothing;
  }
}

export default class ReverseServicePlugin implements ServicePlugin {
  private unsubscribe: (() => void) | null = null;

  load({ sources, log, config, changes }: ServiceLoadArgs) {
    const cache = new ReverseCache(config.reverse_cache, log);
    this.unsubscribe = changes.subscribe((kind, uuid) => (kind === 'source' ? cache.drop(uuid) : kind === 'all' && cache.dropAll()));
    return new ReverseService(sources, log, cache);
  }

  unload() {
    this.unsubscribe?.();
  }
}
