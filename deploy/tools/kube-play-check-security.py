#!/usr/bin/env python3
"""Check that kube-played containers run with their manifest's
securityContext and resources.

    kube-play-check-security.py POD.yaml [-- PODMAN COMMAND...]

For every container of the pod (POD.yaml, from kube-play-manifests.py;
container names <pod>-<container> as kube play gives them), from inside the
running container: the user and group ids (runAsUser / runAsGroup, the
container's securityContext over the pod's), no effective capabilities when
the manifest drops ALL, no_new_privs when allowPrivilegeEscalation is false,
a read-only root file system when readOnlyRootFilesystem is true; and from
podman inspect the memory and CPU limits. Needs `sh` in the image. Prints one line per
container; exits 1 if any differs.
"""

import argparse
import json
import re
import subprocess
import sys

import yaml

UNITS = {"": 1, "k": 1000, "M": 1000**2, "G": 1000**3,
         "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}

# What the container reports about itself, one "key=value" line each.
PROBE = r"""
echo "uid=$(id -u)"
echo "gid=$(id -g)"
sed -n 's/^CapEff:[[:space:]]*/capeff=/p; s/^NoNewPrivs:[[:space:]]*/nnp=/p' /proc/self/status
if (: > /.kube-play-rofs-check) 2>/dev/null; then
  rm -f /.kube-play-rofs-check; echo rootfs=rw
else
  echo rootfs=ro
fi
"""


def quantity(text):
    match = re.fullmatch(r"(\d+)([a-zA-Z]*)", str(text))
    return int(match.group(1)) * UNITS[match.group(2)]


def cpus(text):
    text = str(text)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def check(pod, container, podman):
    name = f"{pod['metadata']['name']}-{container['name']}"
    context = dict(pod["spec"].get("securityContext") or {})
    context.update(container.get("securityContext") or {})
    done = subprocess.run(podman + ["exec", name, "sh", "-c", PROBE],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [f"exec failed: {done.stderr.strip()}"], []
    seen = dict(line.split("=", 1) for line in done.stdout.split())
    problems = []
    checked = []

    def expect(key, want):
        checked.append(f"{key}={want}")
        if seen.get(key) != str(want):
            problems.append(f"{key}={seen.get(key)}, manifest says {want}")

    if "runAsUser" in context:
        expect("uid", context["runAsUser"])
    if "runAsGroup" in context:
        expect("gid", context["runAsGroup"])
    if "ALL" in (context.get("capabilities") or {}).get("drop", []):
        checked.append("no capabilities")
        if int(seen.get("capeff", "1"), 16) != 0:
            problems.append(f"capabilities {seen.get('capeff')}, manifest "
                            "drops ALL")
    if context.get("allowPrivilegeEscalation") is False:
        expect("nnp", 1)
    if context.get("readOnlyRootFilesystem"):
        expect("rootfs", "ro")
    limits = (container.get("resources") or {}).get("limits") or {}
    inspect = subprocess.run(
        podman + ["inspect", "--format", "{{json .HostConfig}}", name],
        capture_output=True, text=True, check=False)
    host = json.loads(inspect.stdout or "{}")
    if "memory" in limits:
        checked.append(f"memory limit {limits['memory']}")
        if host.get("Memory") != quantity(limits["memory"]):
            problems.append(f"memory limit {host.get('Memory')}, manifest "
                            f"says {limits['memory']}")
    if "cpu" in limits:
        checked.append(f"cpu limit {limits['cpu']}")
        period = host.get("CpuPeriod") or 100000
        if host.get("CpuQuota") != round(cpus(limits["cpu"]) * period):
            problems.append(f"cpu quota {host.get('CpuQuota')}/{period}, "
                            f"manifest says {limits['cpu']}")
    return problems, checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pod_yaml")
    parser.add_argument("podman", nargs="*", default=["podman"])
    args = parser.parse_args()
    with open(args.pod_yaml, encoding="utf-8") as f:
        pods = [d for d in yaml.safe_load_all(f) if d and d["kind"] == "Pod"]
    failed = False
    for pod in pods:
        for container in pod["spec"]["containers"]:
            problems, checked = check(pod, container, args.podman)
            failed |= bool(problems)
            name = f"{pod['metadata']['name']}/{container['name']}"
            print(f"securityContext {name}: " +
                  ("FAILED: " + "; ".join(problems) if problems else
                   f"ok ({', '.join(checked)})"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
