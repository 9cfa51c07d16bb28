// Opens the built docs site (docs/.vitepress/dist, from `npm run docs:build`) in headless Chromium and checks
// that the home page, an endpoint page and a local-search result render without console errors. Keeps a
// screenshot in artifacts/docs-site.png. Chromium: Debian's /usr/bin/chromium (CHROMIUM to override); the
// script installs it with apt-get when absent and it may (CI images run as root).
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { createServer } = require('node:http');
const { extname, join, normalize } = require('node:path');
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

function ensureChromium() {
  if (existsSync(executablePath)) return;
  const install = () => execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', timeout: 600_000 });
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
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(site, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    else if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    // the site has no favicon; a browser asks for one anyway
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  if (!existsSync(join(site, 'index.html'))) throw new Error('no built site: run `npm run docs:build` first');
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
  } finally {
    await browser.close();
    server.close();
  }
  if (errors.length > 0) throw new Error(`console errors:\n${errors.join('\n')}`);
  console.log('docs site: home, endpoint page and a search result render without console errors');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
