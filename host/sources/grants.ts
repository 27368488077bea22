// Capabilities services lend to back-ends, recorded at service load and handed to each sandbox as it
// starts. A grant reaches a back-end only when both are declared by the same package.
import type { Capability, CapabilityGrants, GrantOptions, SourceConfig } from '../../src/contracts.js';
import type { PluginEntry } from '../plugins/discovery.js';

interface Grant {
  name: string;
  packageName: string;
  backends: Set<string>;
  provide: (source: SourceConfig) => Capability;
  conceal: string[][];
}

const reserved = new Set(['log', 'then']);

export class GrantTable {
  private readonly grants: Grant[] = [];

  /** The grant interface one service sees: bound to the package that declares that service. */
  forPackage(packageName: string): CapabilityGrants {
    return {
      grant: (name, backends, provide, options: GrantOptions = {}) => {
        if (reserved.has(name)) throw new Error(`capability name "${name}" is reserved`);
        const conceal = (options.conceal ?? []).map((path) => path.split('.'));
        this.grants.push({ name, packageName, backends: new Set(backends), provide, conceal });
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
