// Parses Mermaid diagrams with Mermaid's own parser under Node: each file named on the command
// line, or stdin when none is. jsdom stands in for the browser DOM that the mermaid package needs
// to load; parsing draws nothing. Prints `ok <diagram type>` per diagram; on the first parse
// error prints it (with the file) to stderr and exits 1.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const inputs = [];
if (process.argv.length > 2) {
  for (const f of process.argv.slice(2)) inputs.push([f, readFileSync(f, "utf8")]);
} else {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  inputs.push(["<stdin>", Buffer.concat(chunks).toString("utf8")]);
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
for (const [name, text] of inputs) {
  try {
    const r = await mermaid.parse(text);
    console.log(`ok ${r.diagramType}`);
  } catch (e) {
    console.error(`${name}: mermaid parse error: ${e.message ?? e}`);
    process.exit(1);
  }
}
