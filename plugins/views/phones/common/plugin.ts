// The view plugin of a vendor whose pages are the common menu/input/lookup ones.
import type { PluginClass, ViewLoadArgs, ViewPlugin } from '../../../../src/contracts.js';
import { phoneApiOf, registerVendor, type VendorView } from './vendor.js';

export function vendorPlugin(view: VendorView): PluginClass<ViewPlugin> {
  return class implements ViewPlugin {
    load(args: ViewLoadArgs) {
      const api = phoneApiOf(args);
      if (api) registerVendor(api, args.services, view);
    }
  };
}
