// Structural checks of the Grafana dashboards that Grafana itself would
// only show as broken panels or misleading colours: unique panel ids, a
// Prometheus datasource on every query, no empty expression, unique refIds
// per panel, no panel overlapping another; a description on every panel
// (rows included); a unit and thresholds on every stat and graph (so that
// "targets up = 0" cannot show green); the template variables namespace
// and instance, used by every metric selector of every query. (Whether
// each expression returns data is tests/integration/prometheus_test.cc's
// job, against a real Prometheus.)
import { readFileSync } from "node:fs";

const VARIABLES = ["namespace", "instance"];
// A metric selector: arxiv_* or up, with or without {...}, not a function.
const SELECTOR = /(?<![\w:"])(arxiv_[a-z0-9_]+|up)(\{[^}]*\})?(?![\w(])/g;

let failures = 0;
const fail = (msg) => { console.error(msg); failures++; };
for (const file of process.argv.slice(2)) {
  const dash = JSON.parse(readFileSync(file, "utf8"));
  const ids = new Set();
  const cells = new Map();
  let queries = 0;
  const vars = new Map((dash.templating?.list ?? []).map((v) => [v.name, v]));
  for (const name of VARIABLES) {
    const v = vars.get(name);
    if (!v) { fail(`${file}: no template variable ${name}`); continue; }
    // "All" must match series without the label (compose has no namespace).
    if (!v.includeAll || v.allValue !== ".*") fail(`${file}: variable ${name}: includeAll with allValue ".*" expected`);
  }
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
      if (!p.description?.trim()) fail(`${where}: no description`);
      walk(p.panels);
      if (p.type === "row") continue;
      if (p.datasource?.type !== "prometheus") fail(`${where}: datasource is not prometheus`);
      if (["stat", "timeseries", "gauge", "bargauge"].includes(p.type)) {
        const d = p.fieldConfig?.defaults ?? {};
        if (!d.unit) fail(`${where}: no unit`);
        const steps = d.thresholds?.steps ?? [];
        if (!steps.length || steps[0].value !== null) fail(`${where}: no thresholds (base step with value null first)`);
        for (let i = 2; i < steps.length; i++) {
          if (!(steps[i].value > steps[i - 1].value)) fail(`${where}: threshold steps not increasing`);
        }
      }
      const refs = new Set();
      for (const t of p.targets ?? []) {
        queries++;
        if (!t.expr || !t.expr.trim()) fail(`${where}: empty expr`);
        if (refs.has(t.refId)) fail(`${where}: duplicate refId ${t.refId}`);
        refs.add(t.refId);
        if (t.datasource?.type !== "prometheus") fail(`${where} ${t.refId}: datasource is not prometheus`);
        let selectors = 0;
        for (const m of (t.expr ?? "").matchAll(SELECTOR)) {
          selectors++;
          for (const name of VARIABLES) {
            if (!(m[2] ?? "").includes(`${name}=~"$${name}"`)) {
              fail(`${where} ${t.refId}: selector ${m[0]} does not filter on $${name}`);
            }
          }
        }
        if (!selectors) fail(`${where} ${t.refId}: no metric selector (recording rules aggregate the variables away)`);
      }
      if (!(p.targets ?? []).length) fail(`${where}: no query`);
    }
  };
  walk(dash.panels);
  if (!dash.uid || !dash.title) fail(`${file}: no uid or title`);
  console.log(`check-grafana: ${file}: ${ids.size} panels, ${queries} queries`);
}
process.exit(failures ? 1 : 0);
