// Parses Mermaid text from stdin with mermaid's own parser under Node (jsdom stands in for the
// browser's DOM, which mermaid's module needs to load; parsing itself draws nothing).
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const text = Buffer.concat(chunks).toString("utf8");
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
try {
  const r = await mermaid.parse(text);
  console.log(`ok ${r.diagramType}`);
} catch (e) {
  console.error(`mermaid parse error: ${e.message ?? e}`);
  process.exit(1);
}
