// The colours a reader sees on one page in a colour scheme, in Debian's Chromium:
//   node scheme_probe.js PAGE.html light|dark
// Prints JSON: the computed background and text colour of the page and the main text, and of its first link.
"use strict";
const path = require("path");
const { launch } = require("./chromium");

(async () => {
  const [file, scheme] = process.argv.slice(2);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
    const colours = await page.evaluate(() => {
      const of = (el) => el && { background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color };
      return { body: of(document.body), main: of(document.querySelector("[role=main]")),
               link: of(document.querySelector("[role=main] a.reference")) };
    });
    process.stdout.write(JSON.stringify(colours) + "\n");
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(2); });
