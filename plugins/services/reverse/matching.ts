// The number matching of a profile's reverse lookups (options `number_matching`, `default_region`,
// `suffix_digits`), sent to back-ends in `args.number_matching`; see src/numbers.ts.
import type { Logger } from 'pino';
import { DEFAULT_SUFFIX_DIGITS, type NumberMatching } from '../../../src/numbers.js';

export type CountryOf = (tenant: string) => Promise<string | null>;

/** The matching of a profile's reverse options; null for exact (the default). */
export function numberMatchingOf(options: Record<string, unknown>, tenantCountry: string | null): NumberMatching | null {
  const mode = options.number_matching;
  if (mode !== 'e164' && mode !== 'suffix') return null;
  const region = typeof options.default_region === 'string' ? options.default_region : tenantCountry;
  const digits = typeof options.suffix_digits === 'number' ? options.suffix_digits : DEFAULT_SUFFIX_DIGITS;
  // Frozen: every lookup of the profile shares it, and matchingOf() trusts one it has checked once.
  return Object.freeze({ mode, region: mode === 'e164' ? region : null, suffix_digits: digits });
}

/** How long a tenant's country is trusted when no change is heard of (a write behind dird's back). */
const COUNTRY_TTL_MS = 60_000;
const MAX_TENANTS = 10_000;

/** Tenant countries read from the store and kept briefly (a reverse lookup must not query it each time). */
export class TenantCountries {
  /** `value` is set once `country` has settled, for lookups that need no promise. */
  private readonly known = new Map<string, { country: Promise<string | null>; at: number; value?: string | null }>();

  constructor(private readonly countryOf: CountryOf, private readonly log: Logger, private readonly now = Date.now) {}

  /** The tenant's country changed (null: any tenant's may have). */
  forget(tenant: string | null): void {
    if (tenant === null) this.known.clear();
    else this.known.delete(tenant);
  }

  /** What get() would resolve to, when that is known already; else undefined. */
  settled(tenant: string): string | null | undefined {
    const hit = this.known.get(tenant);
    return hit && this.now() - hit.at < COUNTRY_TTL_MS ? hit.value : undefined;
  }

  get(tenant: string): Promise<string | null> {
    const hit = this.known.get(tenant);
    if (hit && this.now() - hit.at < COUNTRY_TTL_MS) return hit.country;
    const country = this.countryOf(tenant).then(
      (value) => (typeof value === 'string' && /^[a-z]{2}$/i.test(value) ? value.toUpperCase() : null),
      (error) => {
        this.log.warn({ tenant, reason: String(error?.message ?? error) }, 'cannot read the tenant country');
        this.known.delete(tenant);
        return null;
      });
    if (this.known.size >= MAX_TENANTS) this.known.clear();
    const entry: { country: Promise<string | null>; at: number; value?: string | null } = { country, at: this.now() };
    this.known.set(tenant, entry);
    void country.then((value) => (entry.value = value));
    return country;
  }
}
