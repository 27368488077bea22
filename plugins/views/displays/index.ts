// Routes of displays (spec §2.3): /0.1/displays[/{display_uuid}], ACLs dird.displays.* (see common/crud.ts).
import type { ViewLoadArgs, ViewPlugin } from '../../../src/contracts.js';
import type { DisplayService } from '../../services/display/index.js';
import { displayBodySchema } from '../../services/display/schema.js';
import { crudRoutes } from '../common/crud.js';

export default class DisplaysView implements ViewPlugin {
  load({ app, services }: ViewLoadArgs): void {
    crudRoutes(app, {
      resource: 'displays',
      item: 'display',
      body: displayBodySchema,
      service: () => services.display as DisplayService,
    });
  }
}
