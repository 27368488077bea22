// Aastra/Mitel 67xx/68xx/69xx: provision `/0.1/directories/input/<profile>/aastra?xivo_user_uuid=<uuid>`.
import { vendorPlugin } from '../common/plugin.js';
import { input, results } from './document.js';

export const aastra = {
  name: 'aastra',
  contentType: 'text/xml',
  pageSize: 16,
  // The XML API guide caps an object at 10,000 bytes: longer pages are shortened (with a next link).
  maxBytes: 10_000,
  input,
  results,
};

export default vendorPlugin(aastra);
