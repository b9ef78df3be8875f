// The CAS console's public face: the plugin the collector registers, and what it is built from.
export { consolePlugin } from './plugin.js';
export { type ConsoleDeps } from './context.js';
export { BASE as CONSOLE_PATH } from './layout.js';
export { html, escapeHtml, SafeHtml } from './html.js';
export { consoleMigrations } from './queries.js';
