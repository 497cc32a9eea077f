// Offline validation of rendered Kubernetes manifests (multi-document YAML
// on stdin or in the files named): every object must match its API schema
// (kubernetes-models' compiled OpenAPI validators, KEDA's CRDs included),
// carry no field the schema does not know (a typo such as "livenessprobe"
// is silently dropped by the API server, so it is an error here), and
// follow this project's rules for workloads (non-root, read-only root
// filesystem, requests and limits, probes), carry the recommended
// app.kubernetes.io labels, and reference only the Secrets its service
// uses. prometheus-operator objects (no schema package) get structural
// checks. Exit 1 on any finding.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";

const MODELS = [ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount,
  Deployment, StatefulSet, CronJob, PodDisruptionBudget, HorizontalPodAutoscaler,
  NetworkPolicy, ScaledObject, TriggerAuthentication];
const byType = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

// Wraps `data` so that every property the validator reads is recorded; a
// property it never reads is one the schema does not define. Objects the
// validator enumerates (maps such as labels, or free-form fields) count as
// fully known.
function tracked(data, seen) {
  if (data === null || typeof data !== "object") return data;
  const info = { read: new Set(), enumerated: false };
  seen.set(data, info);
  return new Proxy(data, {
    get(target, key, receiver) {
      if (typeof key === "string") info.read.add(key);
      return tracked(Reflect.get(target, key, receiver), seen);
    },
    ownKeys(target) {
      info.enumerated = true;
      return Reflect.ownKeys(target);
    },
    has(target, key) {
      if (typeof key === "string") info.read.add(key);
      return Reflect.has(target, key);
    },
  });
}

function unknownFields(data, seen, path, out) {
  if (data === null || typeof data !== "object") return;
  const info = seen.get(data);
  for (const key of Object.keys(data)) {
    const child = Array.isArray(data) ? `${path}[${key}]` : `${path}.${key}`;
    if (info && !info.enumerated && !Array.isArray(data) && !info.read.has(key)) {
      out.push(`unknown field ${child}`);
      continue;
    }
    unknownFields(data[key], seen, child, out);
  }
}

function podSpecOf(obj) {
  switch (obj.kind) {
    case "Deployment":
    case "StatefulSet":
      return obj.spec?.template?.spec;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

const SERVICES = ["fetcher", "scorer", "publisher", "api"];
const appName = (obj) => obj.metadata?.labels?.["app.kubernetes.io/name"];

// https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
const RECOMMENDED = ["name", "instance", "version", "component", "part-of", "managed-by"]
  .map((l) => `app.kubernetes.io/${l}`);
function labelFindings(obj) {
  const out = [];
  const check = (labels, where) => {
    for (const l of RECOMMENDED) if (!labels?.[l]) out.push(`${where}no label ${l}`);
    if (labels?.["app.kubernetes.io/part-of"] && labels["app.kubernetes.io/part-of"] !== "arxiv-digest") {
      out.push(`${where}part-of is not arxiv-digest`);
    }
  };
  check(obj.metadata?.labels, "");
  if (obj.spec?.template?.metadata) check(obj.spec.template.metadata.labels, "pod template: ");
  return out;
}

// Each workload gets only the Secrets its service uses (issue 13): the LLM
// key only to the scorer, delivery secrets only to the publisher, tokens
// and TLS only to the api; Redis' user to everyone that talks to Redis.
const SECRETS_ALLOWED = {
  redis: ["arxiv-digest-redis"],
  fetcher: ["arxiv-digest-redis"],
  scorer: ["arxiv-digest-redis", "arxiv-digest-openai"],
  publisher: ["arxiv-digest-redis", "arxiv-digest-delivery"],
  api: ["arxiv-digest-redis", "arxiv-digest-api-tokens", "arxiv-digest-api-tls"],
};
function secretFindings(obj) {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const used = new Set();
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const e of c.envFrom ?? []) if (e.secretRef) used.add(e.secretRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) used.add(e.valueFrom.secretKeyRef.name);
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret) used.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) if (s.secret) used.add(s.secret.name);
  }
  const allowed = SECRETS_ALLOWED[appName(obj)];
  if (!allowed) return used.size ? [`uses Secrets ${[...used]} but has no entry in SECRETS_ALLOWED`] : [];
  return [...used].filter((s) => !allowed.includes(s)).map((s) => `uses Secret ${s}, which ${appName(obj)} does not need`);
}

// prometheus-operator CRDs: no schema package here, so the fields that
// matter are checked by hand.
function monitoringFindings(obj) {
  const out = [];
  if (obj.kind === "PodMonitor") {
    if (!obj.spec?.selector?.matchLabels) out.push("no spec.selector.matchLabels");
    const eps = obj.spec?.podMetricsEndpoints ?? [];
    if (!eps.length) out.push("no podMetricsEndpoints");
    for (const ep of eps) {
      if (ep.port !== "admin") out.push("endpoint port is not the container port \"admin\"");
      if (!(ep.relabelings ?? []).some((r) => r.targetLabel === "job" && /^arxiv-[a-z]+$/.test(r.replacement))) {
        out.push("no relabeling to job=arxiv-<service>");
      }
    }
  } else if (obj.kind === "PrometheusRule") {
    const groups = obj.spec?.groups ?? [];
    if (!groups.length) out.push("no spec.groups");
    for (const g of groups) {
      if (!g.name || !(g.rules ?? []).length) out.push(`group ${g.name}: no name or no rules`);
      for (const r of g.rules ?? []) {
        if (!r.expr || !(r.alert || r.record)) out.push(`group ${g.name}: rule without expr or alert/record`);
      }
    }
  }
  return out;
}
const MONITORING = new Set(["monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule"]);

// The operational rules of issue 6, checked on every workload.
function policyFindings(obj) {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const out = [];
  if (pod.securityContext?.runAsNonRoot !== true) out.push("pod securityContext.runAsNonRoot is not true");
  if (!pod.serviceAccountName) out.push("no serviceAccountName");
  for (const c of pod.containers ?? []) {
    const where = `container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation is not false`);
    for (const kind of ["requests", "limits"]) {
      for (const res of ["cpu", "memory"]) {
        if (!c.resources?.[kind]?.[res]) out.push(`${where}: no resources.${kind}.${res}`);
      }
    }
    if (obj.kind !== "CronJob") {
      if (!c.livenessProbe) out.push(`${where}: no livenessProbe`);
      if (!c.readinessProbe) out.push(`${where}: no readinessProbe`);
    }
    // Our services (the container named as the app): HTTP probes on the
    // admin port, /healthz and /readyz.
    if (SERVICES.includes(c.name) && c.name === appName(obj)) {
      if (c.livenessProbe?.httpGet?.path !== "/healthz") out.push(`${where}: livenessProbe is not HTTP /healthz`);
      if (c.readinessProbe?.httpGet?.path !== "/readyz") out.push(`${where}: readinessProbe is not HTTP /readyz`);
    }
  }
  return out;
}

const files = process.argv.slice(2);
const sources = files.length
  ? files.map((f) => [f, readFileSync(f, "utf8")])
  : [["<stdin>", readFileSync(0, "utf8")]];
let objects = 0;
let failures = 0;
for (const [file, text] of sources) {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    objects++;
    const name = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    const model = byType.get(`${obj.apiVersion}/${obj.kind}`);
    if (MONITORING.has(`${obj.apiVersion}/${obj.kind}`)) {
      const findings = [...monitoringFindings(obj), ...labelFindings(obj)];
      if (findings.length) failures++;
      for (const f of findings) console.error(`${name}: ${f}`);
      continue;
    }
    if (!model) {
      console.error(`${name}: no schema for ${obj.apiVersion} ${obj.kind} (add its model to validate-k8s.mjs)`);
      failures++;
      continue;
    }
    const findings = [];
    const seen = new Map();
    try {
      new model(obj); // the typed constructor must accept it
      model.prototype.validate.call(tracked(obj, seen));
    } catch (e) {
      findings.push(`schema: ${e.message}`);
    }
    unknownFields(obj, seen, "", findings);
    findings.push(...policyFindings(obj), ...labelFindings(obj), ...secretFindings(obj));
    if (findings.length) {
      failures++;
      for (const f of findings) console.error(`${name}: ${f}`);
    }
  }
}
if (objects === 0) {
  console.error("validate-k8s: no objects found");
  process.exit(1);
}
console.log(`validate-k8s: ${objects} objects, ${failures} with findings`);
process.exit(failures ? 1 : 0);
