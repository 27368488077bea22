// Snom D-series (and Alcatel, which reuses it): provision `/0.1/directories/input/<profile>/snom?xivo_user_uuid=<uuid>`.
import { vendorPlugin } from '../common/plugin.js';
import { snomPhonebook } from './tbook.js';
import { input, results } from './document.js';

export const snom = {
  name: 'snom',
  contentType: 'text/xml',
  // phoned sends every row; dird's own snom view paged by 16 (F2/F4 soft keys).
  pageSize: 16,
  input,
  results,
};

export default vendorPlugin(snom, snomPhonebook);
