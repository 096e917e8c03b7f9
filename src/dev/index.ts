/** `framesmith dev` as a library: the live preview server. */
export { createDevServer, type DevServer, type DevServerOptions } from './dev-server.js';
