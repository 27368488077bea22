// comlink's Node adapter ships as UMD: at run time the import is the function, its types say `.default`.
import adapter from 'comlink/dist/umd/node-adapter.js';

type NodeEndpoint = typeof adapter.default;
export const nodeEndpoint: NodeEndpoint = ((adapter as any).default ?? adapter) as NodeEndpoint;
