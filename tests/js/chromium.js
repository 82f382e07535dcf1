// Debian's Chromium driven by puppeteer-core, both pinned in tools/axe (npm ci there; no browser is downloaded).
// Shared by the HTML edition's browser checks (axe_check.js, keyboard_check.js).
"use strict";
const path = require("path");
const { createRequire } = require("module");

const TOOLS = path.resolve(__dirname, "..", "..", "tools", "axe");
const toolsRequire = createRequire(path.join(TOOLS, "package.json"));
const puppeteer = toolsRequire("puppeteer-core");

function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
           "--disable-sync", "--no-first-run", "--allow-file-access-from-files", "--font-render-hinting=none"],
  });
}

// The search page fills its results after load: wait until Sphinx's search has finished and said how many.
async function searchDone(page) {
  await page.waitForFunction(() => typeof Search !== "undefined" && Search._pulse_status === -1
    && document.querySelector("#search-results p.search-summary")?.textContent, { timeout: 20000 });
}

module.exports = { launch, searchDone, toolsRequire };
