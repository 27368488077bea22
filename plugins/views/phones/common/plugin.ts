// The view plugin of a vendor whose pages are the common menu/input/lookup ones.
import type { PluginClass, ViewLoadArgs, ViewPlugin } from '../../../../src/contracts.js';
import { registerPhonebook, type PhonebookFormat } from './phonebook.js';
import { phoneApiOf, registerVendor, type VendorView } from './vendor.js';

/** A vendor's search pages, and the phonebook its phones download when it has one. */
export function vendorPlugin(view: VendorView | null, phonebook?: PhonebookFormat): PluginClass<ViewPlugin> {
  return class implements ViewPlugin {
    load(args: ViewLoadArgs) {
      const api = phoneApiOf(args);
      if (!api) return;
      if (view) registerVendor(api, args.services, view);
      if (phonebook) registerPhonebook(api, args.services, phonebook);
    }
  };
}
