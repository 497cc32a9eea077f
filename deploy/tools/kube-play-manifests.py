#!/usr/bin/env python3
"""Turn a rendered kustomize overlay into what `podman kube play` 4.3 plays.

    kubectl kustomize deploy/k8s/overlays/local \
      | deploy/tools/kube-play-manifests.py --out DIR [options]

Writes DIR/<pod>.yaml per workload (the ConfigMaps, the PersistentVolumeClaims
it uses and one `kind: Pod`), DIR/secrets/<name>.{json,yaml} (one file per
Secret, for `podman secret create <name> FILE`), DIR/pods (the pod names,
StatefulSets first), DIR/volumes (the podman volumes playing them creates)
and prints every change it made, one line each.

What stays as rendered: every container of a pod template (image aside),
with its env, envFrom, args, command, ports, probes, resources,
securityContext and volumeMounts, the pod's securityContext and volumes,
the ConfigMaps and the Secrets' data. What changes, and why (podman 4.3):

  * Deployment / StatefulSet -> one Pod (podman 4.3 plays no StatefulSet and
    no replicas beyond one pod per Deployment), named after the Service that
    selects it, so that the Service name the other services use as host
    (REDIS_ENDPOINT=redis:6379) resolves on a podman network with DNS.
  * StatefulSet volumeClaimTemplates -> a PersistentVolumeClaim
    <claim>-<statefulset>-0 (the name Kubernetes gives it) and its volume.
  * $(VAR) references in env values, command and args are expanded here,
    the way the kubelet does (podman 4.3 passes them on literally). A
    reference to a Secret's key puts that value in the pod spec: test
    passwords only.
  * Secrets are not played: podman 4.3 reads a Secret used through env /
    envFrom as a JSON object of base64 values, and one mounted as a volume
    as Secret YAML whose data it writes to the files as it is (not
    base64-decoded, so the plain values go there), so each is written in
    the form its use needs. A Secret used both ways is an error.
  * An emptyDir volume is renamed <pod>-<volume>: podman 4.3 makes it a
    named volume of the volume's name, shared by every pod that has one
    called the same (all four services have "tmp").
  * fsGroup (which podman 4.3 ignores) becomes an init container
    `fsgroup`, running as root, that does what the kubelet does for it:
    the pod's writable volumes made group fsGroup and group-writable.
    podman 4.3 removes a run-once init container racily, so it is kept
    (annotation init.container.type always) and the pod's restartPolicy is
    OnFailure (Always restarts the finished init container in a loop).
  * A secret volume gets an explicit `optional: false` (the default;
    podman 4.3 dereferences the unset field and crashes).
  * --image REPO=REF replaces the image of containers whose image
    repository is REPO (locally built tags; nothing is pulled).
  * --set NAME.KEY=VALUE sets a key of a ConfigMap or Secret (NAME without
    kustomize's hash suffix matches too): test settings such as the sample
    feed's URL or a per-run Redis password.
  * --host-volume POD:VOLUME:HOSTPATH:MOUNTPATH mounts a host directory
    read-only into a pod's first container (the bundled sample feed).

Skipped with a note (podman has no equivalent): Namespace, ServiceAccount,
Service (pod names resolve instead), NetworkPolicy, PodDisruptionBudget,
HorizontalPodAutoscaler and every custom resource.
"""

import argparse
import base64
import copy
import json
import os
import re
import sys

import yaml

WORKLOADS = ("Deployment", "StatefulSet")
VAR_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
HASH_SUFFIX = re.compile(r"-[a-z0-9]{10}$")


def note(message):
    print(message)


def base_name(name):
    """A ConfigMap/Secret name without kustomize's content-hash suffix."""
    return HASH_SUFFIX.sub("", name)


def secret_values(secret):
    """A Secret's keys and decoded values (data and stringData)."""
    values = {
        k: base64.b64decode(v or "").decode("utf-8")
        for k, v in (secret.get("data") or {}).items()
    }
    values.update(secret.get("stringData") or {})
    return values


def expand(text, env):
    """Kubernetes' $(VAR) expansion: known names replaced, $$ -> $, the rest
    kept as written."""

    def one(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)

    return VAR_REF.sub(one, text)


class Converter:
    def __init__(self, docs, args):
        self.args = args
        self.config_maps = {}
        self.secrets = {}
        self.services = []
        self.workloads = []
        self.claims = []
        self.secret_uses = {}  # name -> {"env", "volume"}
        for doc in docs:
            if not doc:
                continue
            kind = doc.get("kind")
            name = doc.get("metadata", {}).get("name", "?")
            if kind == "ConfigMap":
                self.config_maps[name] = doc
            elif kind == "Secret":
                self.secrets[name] = doc
            elif kind == "PersistentVolumeClaim":
                self.claims.append(doc)
            elif kind in WORKLOADS:
                self.workloads.append(doc)
            elif kind == "Service":
                self.services.append(doc)
                note(f"skip Service/{name}: the pod of that name resolves "
                     "on the podman network instead")
            else:
                note(f"skip {kind}/{name}: podman kube play has no "
                     "equivalent")
        self.apply_sets()

    def find(self, table, name):
        if name in table:
            return table[name]
        for full, doc in table.items():
            if base_name(full) == name:
                return doc
        return None

    def apply_sets(self):
        for item in self.args.set or []:
            target, _, value = item.partition("=")
            name, _, key = target.rpartition(".")
            cm = self.find(self.config_maps, name)
            secret = self.find(self.secrets, name)
            if cm is not None:
                cm.setdefault("data", {})[key] = value
                shown = value
                what = f"ConfigMap/{cm['metadata']['name']}"
            elif secret is not None:
                secret.setdefault("data", {})[key] = base64.b64encode(
                    value.encode()).decode()
                secret.get("stringData", {}).pop(key, None)
                shown = "<test value>"
                what = f"Secret/{name}"
            else:
                sys.exit(f"--set {item}: no ConfigMap or Secret {name}")
            note(f"set {what} {key}={shown}")

    def pod_name(self, workload):
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        for svc in self.services:
            selector = svc.get("spec", {}).get("selector") or {}
            if selector and all(labels.get(k) == v
                                for k, v in selector.items()):
                return svc["metadata"]["name"]
        return workload["metadata"]["name"]

    def container_env(self, container):
        """The environment Kubernetes would give the container, in order,
        each value expanded against the names before it."""
        env = {}
        for source in container.get("envFrom") or []:
            prefix = source.get("prefix", "")
            if "configMapRef" in source:
                cm = self.config_maps.get(source["configMapRef"]["name"])
                for k, v in ((cm or {}).get("data") or {}).items():
                    env[prefix + k] = v
            if "secretRef" in source:
                secret = self.secrets.get(source["secretRef"]["name"])
                for k, v in secret_values(secret or {}).items():
                    env[prefix + k] = v
        for entry in container.get("env") or []:
            if "value" in entry:
                env[entry["name"]] = expand(entry["value"], env)
                continue
            ref = entry.get("valueFrom", {})
            if "configMapKeyRef" in ref:
                r = ref["configMapKeyRef"]
                cm = self.config_maps.get(r["name"]) or {}
                value = (cm.get("data") or {}).get(r["key"])
            elif "secretKeyRef" in ref:
                r = ref["secretKeyRef"]
                value = secret_values(self.secrets.get(r["name"]) or {}).get(
                    r["key"])
            else:
                continue  # fieldRef etc.: podman fills what it can
            if value is not None:
                env[entry["name"]] = value
        return env

    def convert_container(self, pod, container):
        where = f"Pod/{pod} container {container['name']}"
        repo = container["image"].rsplit(":", 1)[0]
        for item in self.args.image or []:
            src, _, dst = item.partition("=")
            if repo == src or container["image"] == src:
                note(f"image {where}: {container['image']} -> {dst}")
                container["image"] = dst
        env = self.container_env(container)
        for entry in container.get("env") or []:
            if "value" in entry and VAR_REF.search(entry["value"]):
                entry["value"] = env[entry["name"]]
                note(f"expand {where} env {entry['name']}: $(VAR) "
                     "references resolved")
        for field in ("command", "args"):
            items = container.get(field) or []
            expanded = [expand(a, env) for a in items]
            if expanded != items:
                container[field] = expanded
                note(f"expand {where} {field}: $(VAR) references resolved")
        for source in container.get("envFrom") or []:
            if "secretRef" in source:
                self.use_secret(source["secretRef"]["name"], "env")
        for entry in container.get("env") or []:
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                self.use_secret(ref["name"], "env")

    def use_secret(self, name, how):
        self.secret_uses.setdefault(name, set()).add(how)

    def emulate_fs_group(self, pod, spec):
        """podman 4.3 ignores fsGroup: an init container does what the
        kubelet does, making the pod's writable volumes group-owned by
        fsGroup and group-writable."""
        group = (spec.get("securityContext") or {}).get("fsGroup")
        if group is None:
            return
        writable = {
            v["name"]
            for v in spec.get("volumes") or []
            if "persistentVolumeClaim" in v or "emptyDir" in v
        }
        mounts = {}
        for container in spec["containers"]:
            for m in container.get("volumeMounts") or []:
                if m["name"] in writable and not m.get("readOnly"):
                    mounts[m["name"]] = m["mountPath"]
        if not mounts:
            return
        paths = " ".join(f"'{p}'" for p in sorted(mounts.values()))
        spec.setdefault("initContainers", []).insert(0, {
            "name": "fsgroup",
            "image": spec["containers"][0]["image"],
            "command": ["sh", "-c",
                        f"chgrp -R {group} {paths} && chmod -R g+rwX {paths}"
                        f" && chmod g+s {paths}"],
            "securityContext": {"runAsUser": 0, "runAsNonRoot": False},
            "volumeMounts": [{"name": n, "mountPath": p}
                             for n, p in sorted(mounts.items())],
        })
        note(f"fsGroup Pod/{pod}: init container fsgroup makes "
             f"{', '.join(sorted(mounts.values()))} group {group}, "
             "group-writable")

    def convert(self, workload):
        kind = workload["kind"]
        name = workload["metadata"]["name"]
        template = copy.deepcopy(workload["spec"]["template"])
        pod = self.pod_name(workload)
        replicas = workload["spec"].get("replicas", 1)
        note(f"{kind}/{name} -> Pod/{pod}"
             + (f" (1 of {replicas} replicas)" if replicas != 1 else ""))
        spec = template["spec"]
        for claim in workload["spec"].get("volumeClaimTemplates") or []:
            claim = copy.deepcopy(claim)
            volume = claim["metadata"]["name"]
            claim_name = f"{volume}-{name}-0"
            claim["metadata"]["name"] = claim_name
            claim.setdefault("apiVersion", "v1")
            claim.setdefault("kind", "PersistentVolumeClaim")
            self.claims.append(claim)
            spec.setdefault("volumes", []).append({
                "name": volume,
                "persistentVolumeClaim": {"claimName": claim_name}
            })
            note(f"{kind}/{name} volumeClaimTemplate {volume} -> "
                 f"PersistentVolumeClaim/{claim_name}")
        renamed = {}
        for volume in spec.get("volumes") or []:
            if "emptyDir" in volume:
                renamed[volume["name"]] = f"{pod}-{volume['name']}"
                volume["name"] = renamed[volume["name"]]
        for container in spec.get("initContainers", []) + spec["containers"]:
            for mount in container.get("volumeMounts") or []:
                mount["name"] = renamed.get(mount["name"], mount["name"])
        for old, new in renamed.items():
            note(f"emptyDir Pod/{pod}: volume {old} -> {new}")
        for volume in spec.get("volumes") or []:
            if "secret" in volume:
                volume["secret"].setdefault("optional", False)
                self.use_secret(volume["secret"]["secretName"], "volume")
        for container in spec.get("initContainers", []) + spec["containers"]:
            self.convert_container(pod, container)
        self.emulate_fs_group(pod, spec)
        for item in self.args.host_volume or []:
            target, volume, host_path, mount_path = item.split(":", 3)
            if target != pod:
                continue
            spec.setdefault("volumes", []).append({
                "name": volume,
                "hostPath": {"path": host_path, "type": "Directory"}
            })
            spec["containers"][0].setdefault("volumeMounts", []).append({
                "name": volume, "mountPath": mount_path, "readOnly": True
            })
            note(f"host volume Pod/{pod}: {host_path} -> {mount_path} "
                 "(read-only)")
        metadata = {"name": pod}
        for field in ("labels", "annotations"):
            if template["metadata"].get(field):
                metadata[field] = template["metadata"][field]
        if spec.get("initContainers"):
            # podman 4.3 races removing a run-once init container that has
            # just exited ("cannot remove container ... as it is running").
            metadata.setdefault("annotations", {})[
                "io.podman.annotations.init.container.type"] = "always"
            # ... and restarts a kept one that exited 0 forever under
            # restartPolicy Always: OnFailure still restarts a crashed
            # service.
            spec["restartPolicy"] = "OnFailure"
            note(f"init containers Pod/{pod}: kept (type always), not "
                 "removed; restartPolicy OnFailure")
        return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": spec}

    def write(self, out):
        order = sorted(self.workloads,
                       key=lambda w: (w["kind"] != "StatefulSet",
                                      w["metadata"]["name"]))
        pods = [self.convert(w) for w in order]
        os.makedirs(os.path.join(out, "secrets"), exist_ok=True)
        for name, secret in sorted(self.secrets.items()):
            uses = self.secret_uses.get(name, set())
            if not uses:
                note(f"skip Secret/{name}: no pod uses it")
                continue
            if len(uses) > 1:
                sys.exit(f"Secret/{name} is used as env and as a volume: "
                         "podman 4.3 reads these two in different formats")
            values = secret_values(secret)
            if "env" in uses:
                path = os.path.join(out, "secrets", name + ".json")
                body = json.dumps({
                    k: base64.b64encode(v.encode()).decode()
                    for k, v in values.items()
                })
            else:
                path = os.path.join(out, "secrets", name + ".yaml")
                body = yaml.safe_dump({
                    "apiVersion": "v1", "kind": "Secret",
                    "metadata": {"name": name},
                    "type": secret.get("type", "Opaque"),
                    "data": values
                })
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            os.chmod(path, 0o600)
            note(f"Secret/{name} -> podman secret ({'/'.join(sorted(uses))}"
                 " form)")
        # One file per pod (with the ConfigMaps and the claims it uses), so
        # that the caller starts them in order and waits in between.
        for pod in pods:
            name = pod["metadata"]["name"]
            claims = {
                v["persistentVolumeClaim"]["claimName"]
                for v in pod["spec"].get("volumes") or []
                if "persistentVolumeClaim" in v
            }
            docs = (list(self.config_maps.values()) +
                    [c for c in self.claims
                     if c["metadata"]["name"] in claims] + [pod])
            path = os.path.join(out, name + ".yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("# Generated by deploy/tools/kube-play-manifests.py "
                        "from a rendered overlay.\n")
                yaml.safe_dump_all(docs, f, sort_keys=False)
            os.chmod(path, 0o600)
        with open(os.path.join(out, "pods"), "w", encoding="utf-8") as f:
            f.write("".join(p["metadata"]["name"] + "\n" for p in pods))
        # The podman volumes kube play creates (claims, emptyDirs, and one
        # per ConfigMap or Secret mounted), for the caller's clean-up.
        volumes = set()
        for pod in pods:
            for v in pod["spec"].get("volumes") or []:
                if "persistentVolumeClaim" in v:
                    volumes.add(v["persistentVolumeClaim"]["claimName"])
                elif "emptyDir" in v:
                    volumes.add(v["name"])
                elif "configMap" in v:
                    volumes.add(v["configMap"]["name"])
                elif "secret" in v:
                    volumes.add(v["secret"]["secretName"])
        with open(os.path.join(out, "volumes"), "w", encoding="utf-8") as f:
            f.write("".join(v + "\n" for v in sorted(volumes)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", nargs="?", default="-",
                        help="rendered manifests (default: stdin)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--image", action="append", metavar="REPO=REF")
    parser.add_argument("--set", action="append", metavar="NAME.KEY=VALUE")
    parser.add_argument("--host-volume", action="append",
                        metavar="POD:VOLUME:HOSTPATH:MOUNTPATH")
    args = parser.parse_args()
    source = sys.stdin if args.input == "-" else open(args.input,
                                                      encoding="utf-8")
    docs = list(yaml.safe_load_all(source))
    Converter(docs, args).write(args.out)


if __name__ == "__main__":
    main()
