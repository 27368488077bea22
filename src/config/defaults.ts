// Built-in defaults: wazo-dird's keys (spec §8) plus dird's own. A key present here is "known";
// so are the keys listed in `openKeys` (maps whose keys are operator-chosen).

export const defaults = {
  config_file: 'config/config.yml',
  extra_config_files: 'config/conf.d/',
  data_dir: 'data',
  db_uri: 'sqlite:data/dird.sqlite',
  debug: false,
  log_level: 'info',
  log_filename: null as string | null,
  user: null as string | null,
  uuid: process.env.XIVO_UUID ?? null,
  rest_api: {
    listen: '127.0.0.1',
    port: 9489,
    cors: { enabled: true, allow_headers: ['Content-Type', 'X-Auth-Token', 'Wazo-Tenant'] },
    min_threads: 10,
    max_threads: 100,
    certificate: null,
    private_key: null,
  },
  auth: {
    host: 'localhost',
    port: 9497,
    prefix: null,
    https: false,
    key_file: '',
    username: null,
    password: null,
    master_tenant_uuid: null,
    timeout: 10,
    cache_ttl: 5,
    static_tokens: {},
    static_tenants: [],
    /** Generate an admin token into data_dir on first start (embedded default). */
    generate_admin_token: false,
  },
  confd: { host: 'localhost', port: 9486, prefix: null, https: false },
  /** Google People API base URL (the google back-end; tests point it at a stand-in). */
  google: { people_url: 'https://people.googleapis.com/v1' },
  bus: {
    enabled: false,
    username: 'guest',
    password: 'guest',
    host: 'localhost',
    port: 5672,
    exchange_name: 'wazo-headers',
    exchange_type: 'headers',
    /** dird's durable queue on that exchange, shared by every dird instance (each event is handled once). */
    queue_name: 'dird',
    /** Reconnection backoff: first delay and cap, in seconds. */
    reconnect_initial: 0.5,
    reconnect_max: 30,
  },
  consul: { scheme: 'http', port: 8500, host: 'localhost', token: null },
  service_discovery: {
    enabled: false,
    advertise_address: 'auto',
    advertise_port: 9489,
    advertise_address_interface: 'eth0',
    refresh_interval: 27,
    retry_interval: 2,
    ttl_interval: 30,
    extra_tags: [],
  },
  services: {},
  lookup_service: { executor_workers: null },
  reverse_service: { executor_workers: null },
  favorites_service: { executor_workers: null },
  lookup_timeout: null as number | null,
  source_config_dir: '/etc/wazo-dird/sources.d',
  enabled_plugins: { backends: {}, services: {}, views: {} },
  plugin_paths: [] as string[],
  /** Sandbox of back-ends: defaults for every source, `sources.<name or uuid>` overrides. */
  sandbox: {
    pool_size: 1,
    /** Calls in flight per worker past which new calls are refused at once (bounded memory). */
    max_in_flight: 1000,
    heap_mb: 256,
    /** A worker whose event loop is blocked this long is terminated (the hard deadline). */
    stall_timeout: 5,
    /** A call still unanswered after this long is abandoned by the host (seconds). */
    call_timeout: 30,
    restart_backoff_initial: 0.25,
    restart_backoff_max: 30,
    /** Crashes within `crash_window` seconds that mark a source failed. */
    crash_limit: 5,
    crash_window: 60,
    /** A failed source is retried after this long (seconds). */
    failed_retry: 60,
    /**
     * Back-ends holding their data (csv, phonebook) publish their reverse answers in shared memory and
     * the host reads them without a call into the worker (see src/shared-answers.ts).
     */
    shared_answers: true,
    sources: {},
  },
  /** Seed a ready-to-query sample (tenant, display, csv source, profile `default`) into an empty store. */
  bootstrap: { sample: false, tenant_uuid: null as string | null, csv_file: 'config/sample-contacts.csv' },
  // Keys of later features, accepted now so config files carry across versions.
  phone_api: { listen: '0.0.0.0', port: 9498, authorized_subnets: ['127.0.0.1/32', '::1/128'] as string[], trusted_proxies: [] as string[] },
  metrics: { enabled: true, listen: null, port: null },
  reverse_cache: {},
};

export type DirdConfig = typeof defaults & Record<string, any>;

/** Paths (dot-joined) whose children are free-form: no warning for what is below them. */
export const openKeys = [
  'services',
  'enabled_plugins.backends',
  'enabled_plugins.services',
  'enabled_plugins.views',
  'auth.static_tokens',
  'sandbox.sources',
  'reverse_cache',
  'consul',
  'service_discovery',
];
