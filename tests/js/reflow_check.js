// What reaches past the right edge of a phone's screen, page by page (WCAG 1.4.10 reflow):
//   node reflow_check.js <html dir> [width]   → {"pages": n, "overflow": [{page, element, right, in_table}]}
// An element inside a table is reported with in_table: true (a data table may need its two dimensions).
"use strict";
const fs = require("fs");
const path = require("path");
const { launch } = require("./chromium");

function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : pages(full);
    return entry.name.endsWith(".html") ? [full] : [];
  });
}

(async () => {
  const [htmlDir, width = "390"] = process.argv.slice(2);
  const browser = await launch();
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: 800 });
  const found = pages(htmlDir).sort();
  const overflow = [];
  for (const file of found) {
    await page.goto("file://" + file, { waitUntil: "load" });
    const wide = await page.evaluate(() => {
      const edge = document.documentElement.clientWidth + 1;
      return [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > edge)
        .map((e) => ({ element: e.tagName.toLowerCase() + (e.className ? "." + e.className : ""),
                       right: Math.round(e.getBoundingClientRect().right), in_table: !!e.closest("table") }));
    });
    overflow.push(...wide.map((w) => ({ page: path.relative(htmlDir, file), ...w })));
  }
  await browser.close();
  console.log(JSON.stringify({ pages: found.length, overflow }));
})();
