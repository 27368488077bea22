// Cisco IP phones (SCCP, SIP, SPA): provision `/0.1/directories/menu/<profile>/cisco?xivo_user_uuid=<uuid>`.
import { vendorPlugin } from '../common/plugin.js';
import { input, menu, results } from './document.js';

export const cisco = {
  name: 'cisco',
  contentType: 'text/xml; charset=utf-8',
  // phoned sends every row; dird's own cisco view paged by 16, which the phone's soft keys follow.
  pageSize: 16,
  menu,
  input,
  results,
};

export default vendorPlugin(cisco);
