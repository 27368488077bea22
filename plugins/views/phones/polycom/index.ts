// Polycom SoundPoint/VVX microbrowser: provision `/0.1/directories/input/<profile>/polycom?xivo_user_uuid=<uuid>`.
import { vendorPlugin } from '../common/plugin.js';
import { input, results } from './document.js';

export const polycom = {
  name: 'polycom',
  contentType: 'text/html; charset=utf-8',
  pageSize: 16,
  input,
  results,
};

export default vendorPlugin(polycom);
