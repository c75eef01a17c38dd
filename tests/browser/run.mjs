// Drives lawdex serve's pages in headless Chromium, as a researcher would:
//   node tests/browser/run.mjs URL OUTDIR DRAFT_FILE
// type a Chinese query, see highlighted hits, filter by jurisdiction, copy a citation, open a
// document at an article anchor, click a gap cell of the heat map to see model clauses, upload
// a draft. Saves a screenshot of each page in OUTDIR. Exits non-zero on the first failure.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base, outDir, draft] = process.argv.slice(2);
if (!base || !outDir || !draft) {
  console.error('usage: node run.mjs URL OUTDIR DRAFT_FILE');
  process.exit(2);
}
// Bounded: a hung browser fails the test instead of hanging it.
const deadline = setTimeout(() => {
  console.error('browser test: still running after 240 s');
  process.exit(3);
}, 240_000);

function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    locale: 'zh-CN',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: false });

  // 1. Type a Chinese query; hits come back with the words highlighted.
  await page.goto(`${base}/?lang=zh`);
  await page.fill('input[name=q]', '图书馆 免费');
  await Promise.all([page.waitForURL(/\/search\?/), page.press('input[name=q]', 'Enter')]);
  const hits = await page.locator('article.hit').count();
  check(hits === 10, `10 hits on the first page (got ${hits})`);
  const marks = await page.locator('article.hit mark').allTextContents();
  check(marks.some((m) => /图书馆|圖書館|免费|免費/.test(m)), `highlighted words: ${marks.slice(0, 4).join(', ')}`);
  await shot('search');

  // 2. Filter by a jurisdiction from the facets: every hit is of it.
  const facet = page.locator('ul[data-facet=jurisdiction] a').first();
  const jurisdiction = await facet.getAttribute('data-value');
  await Promise.all([page.waitForURL(/jurisdiction=/), facet.click()]);
  const metas = await page.locator('article.hit p.meta:not(.versions)').allTextContents();
  check(metas.length > 0 && metas.every((m) => m.includes(jurisdiction)),
    `${metas.length} hits, all in ${jurisdiction}`);
  check(await page.locator('.chip').count() === 1, 'the filter shows as a removable chip');
  await shot('filtered');

  // 3. Copy a citation: the clipboard holds the button's citation.
  const button = page.locator('button.copy').first();
  const citation = await button.getAttribute('data-citation');
  check(/^《.+》第.+条/.test(citation), `citation ${citation}`);
  await button.click();
  await page.waitForSelector('button.copy[data-copied=true]');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  check(clip === citation, `clipboard holds ${clip}`);

  // 4. Open the document at the hit's article: the anchor exists and is scrolled to.
  const link = page.locator('article.hit h3 a').first();
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForURL(/\/documents\//), link.click()]);
  const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
  check(hash.length > 0 && href.endsWith(`#${hash}`), `opened at #${hash}`);
  const target = page.locator(`[id="${hash}"]`);
  check(await target.count() === 1, `#${hash} is on the page`);
  check(await target.isVisible() && await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight;
  }), `#${hash} is scrolled into view`);
  await shot('document');

  // 4b. A law of several texts: the hit links the same article in its other version.
  await page.goto(`${base}/search?q=${encodeURIComponent('读者 个人信息')}`);
  const other = page.locator('article.hit p.meta.versions a[href*="#art43"]').first();
  check(await other.count() === 1, 'article 43 links its other version or copy');
  const otherHref = await other.getAttribute('href');
  await Promise.all([page.waitForURL(/\/documents\//), other.click()]);
  check(page.url().endsWith(otherHref), `opened ${otherHref}`);
  check(await page.locator('[id="art43"]').isVisible(), 'the other text opens at 第四十三条');
  check(await page.locator('details.work li').count() >= 2, 'the document lists the law\'s versions');
  await shot('versions');

  // 5. The heat map: click a gap cell, see its model clauses.
  await page.goto(`${base}/gaps?jurisdiction=CN`);
  const gap = page.locator('td.gap').filter({ has: page.locator('li.model') }).first();
  const models = gap.locator('li.model');
  check(!(await models.first().isVisible()), 'model clauses hidden until the cell is clicked');
  await gap.locator('summary').click();
  await models.first().waitFor({ state: 'visible' });
  const model = await models.first().locator('a').textContent();
  check(/《.+》/.test(model), `model clause ${model}`);
  await gap.scrollIntoViewIfNeeded();
  await shot('gaps');

  // 6. Upload a draft: its coverage row comes back with model clauses for its gaps.
  await page.goto(`${base}/draft`);
  await page.setInputFiles('input[type=file]', draft);
  await Promise.all([page.waitForURL(/\/draft$/), page.click('input[type=submit]')]);
  await page.waitForSelector('tr[data-doc=draft]');
  const cells = await page.locator('tr[data-doc=draft] td').count();
  const covered = await page.locator('tr[data-doc=draft] td.covered').count();
  check(cells > 5 && covered > 0, `draft row: ${cells} cells, ${covered} covered`);
  await page.locator('tr[data-doc=draft] td.gap summary').first().click();
  await shot('draft');

  // 7. On a phone: the search page fits the width.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'en-US' });
  const p2 = await phone.newPage();
  await p2.goto(`${base}/search?q=${encodeURIComponent('图书馆 免费')}`);
  const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
  check((await p2.locator('nav a').first().textContent()) === 'Search', 'English interface by Accept-Language');
  await p2.screenshot({ path: path.join(outDir, 'search-phone.png') });
  await phone.close();
} finally {
  await browser.close();
  clearTimeout(deadline);
}
console.log('browser test passed');
