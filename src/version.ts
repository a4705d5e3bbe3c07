// esbuild inlines only this one field of package.json (named JSON imports are tree-shaken).
import { version } from '../package.json';

export const ENVC_VERSION: string = version;
