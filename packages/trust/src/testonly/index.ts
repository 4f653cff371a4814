export { serveDirectory } from './static-server.js';
