// Row types of the dird tables (spec §5), as Kysely sees them. Arrays and maps are JSON text (codec.ts).
import type { Generated } from 'kysely';

export interface Database {
  dird_tenant: { uuid: string; country: string | null };
  dird_user: { user_uuid: string; tenant_uuid: string };
  dird_display: { uuid: string; tenant_uuid: string; name: string };
  dird_display_column: {
    uuid: string;
    display_uuid: string;
    position: number;
    field: string | null;
    title: string | null;
    type: string | null;
    default: string | null;
    number_display: string | null;
  };
  dird_source: {
    uuid: string;
    tenant_uuid: string;
    name: string;
    backend: string;
    searched_columns: string;
    first_matched_columns: string;
    format_columns: string;
    extra_fields: string;
    phonebook_uuid: string | null;
  };
  dird_profile: {
    uuid: string;
    tenant_uuid: string;
    name: string;
    display_uuid: string | null;
    display_tenant_uuid: string | null;
  };
  dird_service: { uuid: string; name: string };
  dird_profile_service: {
    uuid: string;
    profile_uuid: string;
    profile_tenant_uuid: string;
    service_uuid: string;
    /** JSON `{"options": {...}}`. */
    config: string;
    position: number;
  };
  dird_profile_service_source: {
    profile_service_uuid: string;
    source_uuid: string;
    profile_tenant_uuid: string;
    source_tenant_uuid: string;
    position: number;
  };
  dird_favorite: { source_uuid: string; contact_id: string; user_uuid: string };
  dird_phonebook: { id: Generated<number>; uuid: string; name: string; description: string | null; tenant_uuid: string };
  dird_contact: { uuid: string; user_uuid: string | null; phonebook_uuid: string | null; hash: string };
  dird_contact_fields: { id: Generated<number>; name: string; value: string | null; contact_uuid: string };
}
