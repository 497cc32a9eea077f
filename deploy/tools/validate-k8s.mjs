// Offline validation of rendered Kubernetes manifests (multi-document YAML
// on stdin or in the files named): every object must match its API schema
// (kubernetes-models' compiled OpenAPI validators, KEDA's CRDs included),
// carry no field the schema does not know (a typo such as "livenessprobe"
// is silently dropped by the API server, so it is an error here), and
// follow this project's rules for workloads (non-root, read-only root
// filesystem, requests and limits, probes). Exit 1 on any finding.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";

const MODELS = [ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount,
  Deployment, StatefulSet, CronJob, PodDisruptionBudget, HorizontalPodAutoscaler,
  ScaledObject, TriggerAuthentication];
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
    // Our services: HTTP probes on the admin port, /healthz and /readyz.
    if (c.image?.includes("arxiv-digest/")) {
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
    findings.push(...policyFindings(obj));
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
