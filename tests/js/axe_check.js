// axe-core on every page of a built HTML tree, in Debian's Chromium, at each width and colour scheme:
//   node axe_check.js HTML_DIR [--widths 390,1280] [--schemes light,dark] [--extra 'search.html?q=…',…]
// Prints a JSON list of violations on stdout, one object per page, width, scheme and rule, each with its
// elements (target selector and HTML). The rule set: WCAG 2.0/2.1/2.2 A and AA and axe's best practices.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, searchDone, toolsRequire } = require("./chromium");

const args = process.argv.slice(2);
const root = path.resolve(args[0]);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const widths = option("--widths", "390,1280").split(",").map(Number);
const schemes = option("--schemes", "light,dark").split(",");
const extra = option("--extra", "").split(",").filter(Boolean);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

function pages(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (!entry.name.startsWith("_")) out.push(...pages(full)); }
    else if (entry.name.endsWith(".html")) out.push(full);
  }
  return out.sort();
}

(async () => {
  const axeSource = fs.readFileSync(toolsRequire.resolve("axe-core/axe.min.js"), "utf8");
  const targets = pages(root).map((file) => ({ name: path.relative(root, file), url: "file://" + file }));
  for (const state of extra) {
    const [file, query] = state.split("?");
    targets.push({ name: state, url: `file://${path.join(root, file)}?${query}`, search: true });
  }
  const browser = await launch();
  const violations = [];
  try {
    const page = await browser.newPage();
    for (const scheme of schemes) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      for (const width of widths) {
        await page.setViewport({ width, height: 800 });
        for (const target of targets) {
          await page.goto(target.url, { waitUntil: "load" });
          if (target.search) await searchDone(page);
          await page.evaluate(axeSource);
          const result = await page.evaluate((tags) => axe.run(document, {
            runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), TAGS);
          for (const v of result.violations) {
            violations.push({ page: target.name, width, scheme, rule: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html,
                                                           summary: n.failureSummary })) });
          }
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ pages: targets.map((t) => t.name), violations }, null, 1) + "\n");
})().catch((error) => { console.error(error); process.exit(2); });
