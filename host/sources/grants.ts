// Capabilities services lend to back-ends, recorded at service load and handed to each sandbox as it
// starts. A grant reaches a back-end only when both are declared by the same package.
import type { CallArgs, Capability, CapabilityGrants, GrantOptions, SourceConfig } from '../../src/contracts.js';
import type { PluginEntry } from '../plugins/discovery.js';

interface Grant {
  name: string;
  packageName: string;
  backends: Set<string>;
  provide: (source: SourceConfig) => Capability;
  conceal: string[][];
  answersNothing?: GrantOptions['answersNothing'];
}

/** Whether a source's back-end is known to answer nothing to a call's caller (see GrantOptions). */
export type AnswersNothing = (args: CallArgs) => boolean;

const reserved = new Set(['log', 'then']);

export class GrantTable {
  private readonly grants: Grant[] = [];

  /** The grant interface one service sees: bound to the package that declares that service. */
  forPackage(packageName: string): CapabilityGrants {
    return {
      grant: (name, backends, provide, options: GrantOptions = {}) => {
        if (reserved.has(name)) throw new Error(`capability name "${name}" is reserved`);
        const conceal = (options.conceal ?? []).map((path) => path.split('.'));
        this.grants.push({ name, packageName, backends: new Set(backends), provide, conceal, answersNothing: options.answersNothing });
      },
    };
  }

  /** The capabilities a sandbox of `backend` receives for `source`. */
  capabilitiesFor(backend: PluginEntry, source: SourceConfig): Record<string, Capability> {
    const granted: Record<string, Capability> = {};
    for (const grant of this.grants) {
      if (grant.packageName === backend.packageName && grant.backends.has(backend.name)) {
        granted[grant.name] = grant.provide(source);
      }
    }
    return granted;
  }

  /** The host-side checks of `backend`'s grants for `source`, as one; null when it has none. */
  answersNothingFor(backend: PluginEntry, source: SourceConfig): AnswersNothing | null {
    const checks = this.grants
      .filter((grant) => grant.packageName === backend.packageName && grant.backends.has(backend.name) && grant.answersNothing)
      .map((grant) => grant.answersNothing!);
    if (checks.length === 0) return null;
    // A check that throws knows nothing: the back-end is asked.
    return (args) => checks.some((check) => {
      try {
        return check(source, args) === true;
      } catch {
        return false;
      }
    });
  }

  /** The source as `backend`'s worker sees it: without the fields its grants keep in the host. */
  workerConfig(backend: PluginEntry, source: SourceConfig): SourceConfig {
    const paths = this.grants
      .filter((grant) => grant.packageName === backend.packageName && grant.backends.has(backend.name))
      .flatMap((grant) => grant.conceal);
    if (paths.length === 0) return source;
    const copy = structuredClone(source);
    for (const path of paths) {
      let holder: any = copy;
      for (const key of path.slice(0, -1)) holder = holder !== null && typeof holder === 'object' ? holder[key] : undefined;
      if (holder !== null && typeof holder === 'object') delete holder[path[path.length - 1]];
    }
    return copy;
  }
}
