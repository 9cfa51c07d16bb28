// Checks the built docs site (docs/.vitepress/dist, from `npm run docs:build`):
// - every internal link and asset of every built page resolves to a file (VitePress' own dead-link check passes a
//   link to a page's source name that a rewrite moved, `api/README.md`; the built output does not lie);
// - in headless Chromium, the home page, an endpoint page and a local-search result render without console
//   errors, and a guide page and an endpoint page fit their tables in the text column at desktop (1440 px) and
//   phone (390 px) width, so no column is off-screen.
// Keeps screenshots in artifacts/ (git-ignored). Chromium: Debian's /usr/bin/chromium (CHROMIUM to override);
// the script installs it with apt-get when absent and it may (CI images run as root).
/* global document, innerWidth -- in page.evaluate(), which runs in the browser */
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { createServer } = require('node:http');
const { extname, join, normalize, relative } = require('node:path');
const { URL } = require('node:url');

const root = join(__dirname, '..');
const site = join(root, 'docs', '.vitepress', 'dist');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

// a CJK font, so the screenshots show the facts' Chinese descriptions rather than empty boxes
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function ensureChromium() {
  const missing = [
    ...(existsSync(executablePath) ? [] : ['chromium']),
    ...(existsSync(CJK_FONT) ? [] : ['fonts-wqy-microhei']),
  ];
  if (missing.length === 0) return;
  const install = () => execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', timeout: 600_000 });
  try {
    install();
  } catch {
    // a fresh image has no package lists yet
    execFileSync('apt-get', ['update'], { stdio: 'inherit', timeout: 600_000 });
    install();
  }
}

/** A static server for the built site on 127.0.0.1:0; `/x` serves `/x.html` as VitePress' own preview does. */
function serve() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    // the site has no favicon; a browser asks for one anyway
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const file = fileFor(path);
    if (!file) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The built file a request for `pathname` gets from serve(), or undefined (a 404). */
function fileFor(pathname) {
  const file = join(site, normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
  if (existsSync(file) && statSync(file).isDirectory())
    return existsSync(join(file, 'index.html')) ? join(file, 'index.html') : undefined;
  if (existsSync(file)) return file;
  return existsSync(`${file}.html`) ? `${file}.html` : undefined;
}

const htmlFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? htmlFiles(join(dir, entry.name))
      : entry.name.endsWith('.html')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every `href`/`src` of every built page that stays on the site, checked against the files; returns the broken ones. */
function deadLinks() {
  const dead = [];
  for (const file of htmlFiles(site)) {
    const page = `/${relative(site, file).split('\\').join('/')}`;
    for (const [, target] of readFileSync(file, 'utf8').matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const url = target.replace(/&amp;/g, '&');
      if (url === '' || url.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
      const pathname = decodeURIComponent(new URL(url, `http://site${page}`).pathname);
      if (!fileFor(pathname)) dead.push(`${page}: ${url}`);
    }
  }
  return dead;
}

/** Tables wider than the text column (a column scrolled off-screen), on the page as it is laid out now. */
function overflowingTables(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.vp-doc table')]
      .filter((table) => {
        const column = table.closest('.vp-doc').getBoundingClientRect();
        const box = table.getBoundingClientRect();
        return table.scrollWidth > table.clientWidth + 1 || box.right > column.right + 1 || box.right > innerWidth;
      })
      .map((table) => `${table.querySelector('th')?.textContent ?? '?'} table: ${Math.round(table.scrollWidth)} px`),
  );
}

async function main() {
  if (!existsSync(join(site, 'index.html'))) throw new Error('no built site: run `npm run docs:build` first');
  const dead = deadLinks();
  if (dead.length > 0) throw new Error(`${dead.length} dead links in the built site:\n${dead.slice(0, 50).join('\n')}`);
  ensureChromium();
  const { chromium } = require('playwright-core');
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 60_000,
  });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('console', (message) => message.type() === 'error' && errors.push(`${page.url()}: ${message.text()}`));
    page.on(
      'response',
      (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`),
    );
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    page.setDefaultTimeout(30_000);

    await page.goto(`${base}/`);
    await page.getByText('WeChat Pay merchant OpenAPI for TypeScript').first().waitFor();

    // endpoint pages sit one level down, in a folder per business group
    const isPage = (name) => name.endsWith('.html') && name !== 'index.html' && name !== 'README.html';
    const endpoint = readdirSync(join(site, 'api'))
      .filter((group) => statSync(join(site, 'api', group)).isDirectory())
      .flatMap((group) =>
        readdirSync(join(site, 'api', group))
          .filter(isPage)
          .map((page) => [group, page]),
      )
      .find(([, page]) => page.startsWith('post__v3__'));
    if (!endpoint) throw new Error('no endpoint page in the built site');
    await page.goto(`${base}/api/${endpoint.map(encodeURIComponent).join('/')}`);
    await page.locator('h1').first().waitFor();

    await page.goto(`${base}/`);
    await page.locator('.DocSearch-Button, .VPNavBarSearchButton').first().click();
    await page.locator('input.search-input, #localsearch-input').first().fill('Wechatpay-Serial');
    await page.locator('.result, .VPLocalSearchBox .results li').first().waitFor();
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, 'artifacts', 'docs-site.png'), fullPage: false });

    // the example endpoint: a long request table with nested fields, enums and encrypted fields
    const jsapi = htmlFiles(join(site, 'api')).find((file) =>
      file.endsWith('/post__v3__pay__transactions__jsapi.html'),
    );
    if (!jsapi) throw new Error('no JSAPI order page in the built site');
    const shots = { guide: '/getting-started', endpoint: `/${relative(site, jsapi).split('\\').join('/')}` };
    for (const [width, height, device] of [
      [1440, 900, 'desktop'],
      [390, 844, 'phone'],
    ]) {
      await page.setViewportSize({ width, height });
      for (const [kind, path] of Object.entries(shots)) {
        await page.goto(`${base}${path.split('/').map(encodeURIComponent).join('/')}`);
        await page.locator('.vp-doc h1').first().waitFor();
        const wide = await overflowingTables(page);
        if (wide.length > 0) errors.push(`${path} at ${width} px: wider than the text column: ${wide.join('; ')}`);
        // the endpoint page from its request table on: the columns are what the screenshot is for
        if (kind === 'endpoint') await page.locator('#request').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(root, 'artifacts', `docs-${kind}-${device}.png`), fullPage: false });
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (errors.length > 0) throw new Error(`console errors:\n${errors.join('\n')}`);
  console.log(
    'docs site: no dead links; home, endpoint page and a search result render without console errors; ' +
      'guide and endpoint tables fit the column at 1440 and 390 px (artifacts/docs-*.png)',
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
