// Capabilities services lend to back-ends, recorded at service load and handed to each sandbox as it
// starts. A grant reaches a back-end only when both are declared by the same package.
import type { Capability, CapabilityGrants, SourceConfig } from '../../src/contracts.js';
import type { PluginEntry } from '../plugins/discovery.js';

interface Grant {
  name: string;
  packageName: string;
  backends: Set<string>;
  provide: (source: SourceConfig) => Capability;
}

const reserved = new Set(['log', 'then']);

export class GrantTable {
  private readonly grants: Grant[] = [];

  /** The grant interface one service sees: bound to the package that declares that service. */
  forPackage(packageName: string): CapabilityGrants {
    return {
      grant: (name, backends, provide) => {
        if (reserved.has(name)) throw new Error(`capability name "${name}" is reserved`);
        this.grants.push({ name, packageName, backends: new Set(backends), provide });
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
}
