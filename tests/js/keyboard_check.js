// The HTML edition from the keyboard only, in Debian's Chromium:
//   node keyboard_check.js HTML_DIR WORD [--width 1280] [--scheme light]
// On index.html: the first Tab reaches the skip link, shown inside the window; Enter moves the focus to the main
// text. Tab on until the search field (every stop on the way is recorded with its focus outline); type WORD,
// Enter; on the results page Tab until a result link, Enter. Prints a JSON report on stdout; the test judges it.
"use strict";
const path = require("path");
const { launch, searchDone } = require("./chromium");

const args = process.argv.slice(2);
const root = path.resolve(args[0]);
const word = args[1];
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const width = Number(option("--width", "1280"));
const scheme = option("--scheme", "light");
const MAX_TABS = 400;

// What has the focus: enough to name it in a failure message and to judge its focus ring.
function focused() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, name: el.getAttribute("name"),
    href: el.getAttribute("href"), text: (el.textContent || el.value || "").trim().slice(0, 40),
    inResults: Boolean(el.closest("#search-results")),
    outline: { style: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0, color: style.outlineColor },
    rect: { top: rect.top, left: rect.left, width: rect.width, height: rect.height },
    viewport: { width: innerWidth, height: innerHeight },
  };
}

async function tabUntil(page, wanted, stops) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press("Tab");
    const now = await page.evaluate(focused);
    if (now) stops.push({ page: page.url(), ...now });
    if (now && wanted(now)) return now;
  }
  return null;
}

(async () => {
  const browser = await launch();
  const report = { word, width, scheme, stops: [] };
  try {
    const page = await browser.newPage();
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.setViewport({ width, height: 800 });
    await page.goto("file://" + path.join(root, "index.html"), { waitUntil: "load" });

    await page.keyboard.press("Tab");
    report.first = await page.evaluate(focused);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash === "#main-content");
    report.afterSkip = await page.evaluate(focused);

    report.searchField = await tabUntil(page, (f) => f.tag === "input" && f.name === "q", report.stops);
    if (report.searchField) {
      await page.keyboard.type(word);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      await searchDone(page);
      report.searchUrl = decodeURIComponent(page.url());
      [report.summary, report.summaryRole] = await page.evaluate(() => {
        const summary = document.querySelector("#search-results p.search-summary");
        return [summary.textContent, summary.getAttribute("role")];
      });
      report.result = await tabUntil(page, (f) => f.inResults && f.tag === "a", report.stops);
      if (report.result) {
        await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
        report.opened = decodeURIComponent(page.url());
        report.openedText = await page.evaluate(() => document.querySelector("[role=main]").textContent);
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report, null, 1) + "\n");
})().catch((error) => { console.error(error); process.exit(2); });
