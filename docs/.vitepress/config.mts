import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

// The site is the docs/ folder as it stands: hand-written pages plus the generated endpoint pages in docs/api/.
const apiDir = fileURLToPath(new URL('../api/', import.meta.url));
const endpoints = (() => {
  try {
    // one page per endpoint, in a folder per family (each folder's README.md is its index, not an endpoint)
    return readdirSync(apiDir, { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('.md') && !/(^|\/)README\.md$/.test(name),
    );
  } catch {
    return [];
  }
})();

export default defineConfig({
  title: 'wechatpay-chain',
  description: 'WeChat Pay merchant OpenAPI SDK for TypeScript: signed, verified, typed, with a local sandbox',
  base: process.env.DOCS_BASE ?? '/',
  cleanUrls: false,
  // a link to a page that does not exist fails the build (CI runs it); links out of docs/ are absolute GitHub URLs
  ignoreDeadLinks: false,
  // the endpoint index is docs/api/README.md (GitHub shows it for the folder); the site serves it as /api/, so a
  // link to it is `../` or `/api/`, never `README.md` (which the dead-link check would pass and the site 404)
  rewrites: { 'api/README.md': 'api/index.md' },
  themeConfig: {
    search: { provider: 'local' },
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'Endpoints', link: '/api/' },
      { text: 'Changelog', link: 'https://github.com/wechatpay-chain/wechatpay-chain/blob/main/CHANGELOG.md' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/getting-started' },
          { text: 'Take a payment', link: '/payments' },
          { text: 'Refunds', link: '/refunds' },
          { text: 'Bills and reconciliation', link: '/bills' },
          { text: 'Partner (service provider) mode', link: '/partners' },
          { text: 'Obtaining keys and serials', link: '/obtaining-keys' },
          { text: 'Keys', link: '/keys' },
          { text: 'Public key migration', link: '/public-key-migration' },
          { text: 'Callbacks', link: '/callbacks' },
          { text: 'Several processes and merchants', link: '/scaling' },
          { text: 'NestJS, Koa, Fastify', link: '/frameworks' },
          { text: 'HTTP proxies and custom axios', link: '/proxies' },
          { text: 'Validation', link: '/validation' },
          { text: 'Retries', link: '/retries' },
          { text: 'Logging and debugging', link: '/logging' },
          { text: 'Runtimes', link: '/runtimes' },
          { text: 'Sandbox', link: '/sandbox' },
          { text: 'Command line', link: '/cli' },
          { text: 'Certificates, media, bills, APIv2', link: '/protocol' },
          { text: 'Crypto toolkit', link: '/toolkit' },
          { text: 'Coming from other SDKs', link: '/migration' },
        ],
      },
      {
        text: `Endpoints (${endpoints.length})`,
        collapsed: true,
        // a 1,100-entry sidebar on every page would weigh on each one; the index page lists them all
        items: [{ text: 'All endpoints', link: '/api/' }],
      },
    ],
  },
});
