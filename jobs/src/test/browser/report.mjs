// Drives the report in Debian's Chromium (playwright-core, no browser download): at each width, the page as it opens,
// another period, and a region chosen; tooltips of a bar and of a map region; console errors and any request that is
// not the file itself. Prints one JSON line for PipelineTest (through ReportBrowser.java); screenshots go to the given folder.
// Usage: node report.mjs PAGE SHOTS_DIR CHROMIUM OTHER_PERIOD REGION_ID REGION_ID_NOT_IN_THE_FIRST_PERIOD WIDTH...
import { chromium } from 'playwright-core';

const [page_, shots, executable, otherPeriod, region, absentRegion, ...widths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: executable,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const result = { widths: {}, errors: [], requests: [] };
try {
  for (const width of widths.map(Number)) {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') result.errors.push(`${width}px ${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => result.errors.push(`${width}px pageerror: ${e.message}`));
    page.on('request', r => { if (!r.url().startsWith('file:')) result.requests.push(r.url()); });
    await page.goto('file://' + page_);
    await page.waitForSelector('body[data-rendered=yes]', { timeout: 60000 });
    const state = async () => page.evaluate(() => {
      const svg = id => document.querySelector(`#${id}-chart svg`)?.outerHTML ?? '';
      const visible = sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).length;
      const marks = (id, sel) => document.querySelectorAll(`#${id}-chart ${sel}`).length;
      // the full colour of Figure 2's bars, as its specification gives it (a chosen region's; the others are paler)
      const full = JSON.parse(document.getElementById('figure2-spec').textContent).layer[0].encoding.color.condition.value;
      return {
        ...document.body.dataset,
        figure1Regions: marks('figure1', 'g.layer_0_marks path'),
        figure1Outlines: marks('figure1', 'g.layer_1_marks path'),
        figure2Bars: marks('figure2', 'g.mark-rect path'),
        figure2Highlighted: marks('figure2', `g.mark-rect path[fill="${full}"]`),
        figure3Bars: marks('figure3', 'g.mark-rect path'),
        urbanizationPoints: marks('urbanization', 'g.mark-symbol path'),
        svgs: ['figure1', 'figure2', 'figure3', 'urbanization'].map(svg).join('|').length,
        svgText: ['figure1', 'figure2', 'figure3', 'urbanization'].map(svg).join('|'),
        visiblePeriodBlocks: [...document.querySelectorAll('[data-period]')].filter(e => !e.hidden).map(e => e.dataset.period),
        table2Rows: visible('.table2 tr[data-region]'),
        chosenRows: visible('tr.chosen'),
        chosenRowsOutsideTable2: [...document.querySelectorAll('tr.chosen')].filter(e => e.offsetParent !== null && !e.closest('.table2')).length,
        regionNote: document.getElementById('region-note').textContent,
        pageWidth: document.documentElement.scrollWidth,
        // tables wider than the text column (each names its class and first heading)
        tablesBeyondText: [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null
          && (t.closest('.wide') ?? t).getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1)
          .map(t => `${t.className} ${t.querySelector('th')?.innerText}`),
      };
    });
    const initial = await state();
    const initialPeriod = initial.state.split('|')[0];
    await page.screenshot({ path: `${shots}/report-${width}px-${initialPeriod}.png`, fullPage: true });
    await page.selectOption('#period', otherPeriod);
    await page.waitForSelector(`body[data-state="${otherPeriod}|"]`);
    const other = await state();
    await page.screenshot({ path: `${shots}/report-${width}px-${otherPeriod}.png`, fullPage: true });
    await page.selectOption('#period', initialPeriod);
    await page.selectOption('#region', region);
    await page.waitForSelector(`body[data-state="${initialPeriod}|${region}"]`);
    const chosen = await state();
    await page.screenshot({ path: `${shots}/report-${width}px-${initialPeriod}-${region}.png`, fullPage: true });
    const tooltip = async (selector, atLeftEnd) => {
      // the largest mark: a bar of a 0 % share has no width to hover
      const largest = await page.evaluate(sel => {
        const areas = [...document.querySelectorAll(sel)].map(e => { const b = e.getBoundingClientRect(); return b.width * b.height; });
        return areas.indexOf(Math.max(...areas));
      }, selector);
      const mark = page.locator(selector).nth(largest);
      await mark.evaluate(e => e.scrollIntoView({ block: 'center' })); // clear of the sticky selectors
      const box = await mark.boundingBox();
      // near the mark's left end: the middle of a bar may carry the interval's line
      // the pointer where a user would put it (the mark under it answers, whichever it is)
      await page.mouse.move(box.x + (atLeftEnd ? Math.min(6, box.width / 2) : box.width / 2), box.y + (atLeftEnd ? Math.min(4, box.height / 2) : box.height / 2));
      const tip = await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5000 }).then(e => e.innerText());
      await page.mouse.move(0, 0);
      return tip;
    };
    await page.selectOption('#region', absentRegion);
    await page.waitForSelector(`body[data-state="${initialPeriod}|${absentRegion}"]`);
    const absent = await state();
    await page.selectOption('#region', region);
    await page.waitForSelector(`body[data-state="${initialPeriod}|${region}"]`);
    const barTooltip = await tooltip('#figure2-chart g.mark-rect path', true);
    const mapTooltip = await tooltip('#figure1-chart g.layer_0_marks path');
    const pointTooltip = await tooltip('#urbanization-chart g.mark-symbol path');
    for (const s of [initial, other, chosen, absent]) { s.svgHash = hash(s.svgText); delete s.svgText; }
    result.widths[width] = { initial, other, chosen, absent, barTooltip, mapTooltip, pointTooltip };
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

function hash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}
