#!/usr/bin/env python3
"""Run a kube-played pod's probes the way the kubelet would.

    kube-play-probe.py --kind readiness|liveness --ip POD_IP POD.yaml \
        [-- PODMAN COMMAND...]

podman 4.3 turns a livenessProbe into a healthcheck that only a systemd
timer runs (there is none in a build container) and ignores readinessProbe,
so this runs every container's probe of the given kind as written in the pod
(POD.yaml, from kube-play-manifests.py): httpGet against the pod's IP on the
named or numbered port, tcpSocket likewise, exec through `podman exec
<pod>-<container>` (the container name kube play gives it). Prints one line
per probe; exits 0 when every probe passed, 1 otherwise.
"""

import argparse
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import yaml


def port_number(container, port):
    """A probe's port: a number, or the name of one of the container's
    ports (as Kubernetes resolves it)."""
    if isinstance(port, int) or str(port).isdigit():
        return int(port)
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return int(p["containerPort"])
    raise ValueError(f"no port named {port}")


def run_probe(pod, container, probe, ip, podman, timeout):
    if "httpGet" in probe:
        get = probe["httpGet"]
        url = (f"{get.get('scheme', 'HTTP').lower()}://{ip}:"
               f"{port_number(container, get['port'])}{get.get('path', '/')}")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as reply:
                ok = 200 <= reply.status < 400
                return ok, f"GET {url}: HTTP {reply.status}"
        except urllib.error.HTTPError as e:
            return False, f"GET {url}: HTTP {e.code}"
        except OSError as e:
            return False, f"GET {url}: {e}"
    if "tcpSocket" in probe:
        port = port_number(container, probe["tcpSocket"]["port"])
        try:
            socket.create_connection((ip, port), timeout=timeout).close()
            return True, f"tcp {ip}:{port}: open"
        except OSError as e:
            return False, f"tcp {ip}:{port}: {e}"
    if "exec" in probe:
        command = podman + ["exec", f"{pod}-{container['name']}"
                            ] + probe["exec"]["command"]
        try:
            done = subprocess.run(command, capture_output=True,
                                  timeout=timeout * 3, check=False)
        except subprocess.TimeoutExpired:
            return False, "exec: timed out"
        return done.returncode == 0, f"exec: exit {done.returncode}"
    return False, "unsupported probe"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", required=True,
                        choices=("readiness", "liveness", "startup"))
    parser.add_argument("--ip", required=True, help="the pod's IP address")
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--quiet", action="store_true",
                        help="print only failures")
    parser.add_argument("pod_yaml")
    parser.add_argument("podman", nargs="*", default=["podman"])
    args = parser.parse_args()
    with open(args.pod_yaml, encoding="utf-8") as f:
        pods = [d for d in yaml.safe_load_all(f) if d and d["kind"] == "Pod"]
    failed = False
    for pod in pods:
        name = pod["metadata"]["name"]
        for container in pod["spec"]["containers"]:
            probe = container.get(args.kind + "Probe")
            if not probe:
                continue
            ok, what = run_probe(name, container, probe, args.ip,
                                 args.podman, args.timeout)
            failed |= not ok
            if not ok or not args.quiet:
                print(f"{args.kind} {name}/{container['name']}: "
                      f"{'ok' if ok else 'FAILED'} ({what})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
