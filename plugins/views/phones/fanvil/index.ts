// Fanvil (legacy): provision `/0.1/directories/lookup/<profile>/fanvil?xivo_user_uuid=<uuid>&term=` on a DSS key.
import { vendorPlugin } from '../common/plugin.js';
import { input, results } from './document.js';

export const fanvil = { name: 'fanvil', contentType: 'text/xml', pageSize: 16, input, results };

export default vendorPlugin(fanvil);
