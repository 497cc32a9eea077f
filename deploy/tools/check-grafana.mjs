// Structural checks of the Grafana dashboards that Grafana itself would
// only show as broken panels: unique panel ids, a Prometheus datasource on
// every query, no empty expression, unique refIds per panel, no panel
// overlapping another. (Whether each expression returns data is
// tests/integration/prometheus_test.cc's job, against a real Prometheus.)
import { readFileSync } from "node:fs";

let failures = 0;
const fail = (msg) => { console.error(msg); failures++; };
for (const file of process.argv.slice(2)) {
  const dash = JSON.parse(readFileSync(file, "utf8"));
  const ids = new Set();
  const cells = new Map();
  let queries = 0;
  const walk = (panels) => {
    for (const p of panels ?? []) {
      const where = `${file}: panel ${p.id} '${p.title}'`;
      if (ids.has(p.id)) fail(`${where}: duplicate id`);
      ids.add(p.id);
      const g = p.gridPos;
      if (!g) fail(`${where}: no gridPos`);
      else {
        for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
          const key = `${x},${y}`;
          if (cells.has(key)) fail(`${where}: overlaps panel ${cells.get(key)}`);
          cells.set(key, p.id);
        }
        if (g.x + g.w > 24) fail(`${where}: wider than the grid`);
      }
      walk(p.panels);
      if (p.type === "row") continue;
      if (p.datasource?.type !== "prometheus") fail(`${where}: datasource is not prometheus`);
      const refs = new Set();
      for (const t of p.targets ?? []) {
        queries++;
        if (!t.expr || !t.expr.trim()) fail(`${where}: empty expr`);
        if (refs.has(t.refId)) fail(`${where}: duplicate refId ${t.refId}`);
        refs.add(t.refId);
        if (t.datasource?.type !== "prometheus") fail(`${where} ${t.refId}: datasource is not prometheus`);
      }
      if (!(p.targets ?? []).length) fail(`${where}: no query`);
    }
  };
  walk(dash.panels);
  if (!dash.uid || !dash.title) fail(`${file}: no uid or title`);
  console.log(`check-grafana: ${file}: ${ids.size} panels, ${queries} queries`);
}
process.exit(failures ? 1 : 0);
