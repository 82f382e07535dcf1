// Runs a query through Sphinx's own search code on a built HTML tree, as search.html would in a browser:
//   node search_probe.js <html dir> <query>   → prints the docnames of the results, best last, as JSON.
// The scripts are the ones search.html loads, in its order; the DOM is a stub with no search-result nodes.
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [htmlDir, query] = process.argv.slice(2);
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
const results = vm.runInContext(
  `Search._performSearch(...Search._parseQuery(${JSON.stringify(query)}))`,
  context,
);
console.log(JSON.stringify(results.map((result) => result[0])));
