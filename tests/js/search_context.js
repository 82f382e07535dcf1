// The scripts search.html loads, in its order, run in a Node VM as a browser would run them: the DOM is a stub
// with no search-result nodes, so nothing runs on its own; callers then call Search's functions in the context.
const fs = require("fs");
const path = require("path");
const vm = require("vm");

function searchContext(htmlDir) {
  const noop = () => {};
  const context = {
    console,
    URLSearchParams,
    document: {
      readyState: "loading", // scripts wait for DOMContentLoaded, which never comes: nothing runs on its own
      addEventListener: noop,
      getElementById: () => null,
      documentElement: { dataset: {} },
    },
    localStorage: { setItem: noop, getItem: () => null, removeItem: noop },
    location: { search: "" },
  };
  context.window = context;
  vm.createContext(context);
  const page = fs.readFileSync(path.join(htmlDir, "search.html"), "utf8");
  for (const [, src] of page.matchAll(/<script src="([^"?]+)[^"]*"/g)) {
    vm.runInContext(fs.readFileSync(path.join(htmlDir, src), "utf8"), context, { filename: src });
  }
  return context;
}

module.exports = { searchContext };
