#!/usr/bin/env python3
"""Tests of kube-play-manifests.py on a small rendered overlay (offline: no
kubectl, no podman). ctest: kube_play_manifests (label deploy)."""

import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest

try:
    import yaml
except ImportError:  # ctest reports it skipped (SKIP_RETURN_CODE 77)
    print("kube_play_manifests: python3-yaml (PyYAML) is not installed")
    sys.exit(77)

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "kube-play-manifests.py")

RENDERED = """
apiVersion: v1
kind: ConfigMap
metadata: {name: app-env-abcde12345}
data: {ENDPOINT: "db:6379", FEED: "https://example.org/"}
---
apiVersion: v1
kind: Secret
metadata: {name: db-auth}
data: {USER: dXNlcg==, PASSWORD: b3JpZ2luYWw=}
---
apiVersion: v1
kind: Secret
metadata: {name: tokens}
data: {tokens: dDEgcmVhZGVy}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: database}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: database}
spec:
  template:
    metadata: {labels: {app: database}}
    spec:
      securityContext: {runAsUser: 999, fsGroup: 999}
      containers:
      - name: db
        image: docker.io/library/redis:7
        args: ["--requirepass", "$(PASSWORD)", "--literal", "$$(KEEP)"]
        env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: db-auth, key: PASSWORD}}
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: example/web:local
        envFrom: [{configMapRef: {name: app-env-abcde12345}}]
        env:
        - name: USER
          valueFrom: {secretKeyRef: {name: db-auth, key: USER}}
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: db-auth, key: PASSWORD}}
        - name: URL
          value: redis://$(USER):$(PASSWORD)@$(ENDPOINT)/$(UNKNOWN)
        readinessProbe: {httpGet: {path: /readyz, port: admin}}
        securityContext: {readOnlyRootFilesystem: true}
        volumeMounts:
        - {name: tokens, mountPath: /etc/tokens, readOnly: true}
        - {name: tmp, mountPath: /tmp}
      volumes:
      - name: tokens
        secret: {secretName: tokens}
      - name: tmp
        emptyDir: {}
"""


class KubePlayManifestsTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.dir.name, "out")
        done = subprocess.run(
            [sys.executable, TOOL, "--out", self.out,
             "--image", "example/web=localhost/example/web:t1",
             "--set", "app-env.FEED=file:///sample/",
             "--set", "db-auth.PASSWORD=test-password",
             "--host-volume", "web:sample:/srv/sample:/sample"],
            input=RENDERED, capture_output=True, text=True, check=False)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.notes = done.stdout

    def tearDown(self):
        self.dir.cleanup()

    def load(self, pod):
        with open(os.path.join(self.out, pod + ".yaml"),
                  encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d]

    def pod(self, name):
        return [d for d in self.load(name) if d["kind"] == "Pod"][0]

    def test_pods_are_named_after_their_service_statefulsets_first(self):
        with open(os.path.join(self.out, "pods"), encoding="utf-8") as f:
            self.assertEqual(f.read().split(), ["db", "web"])
        self.assertIn("Deployment/web -> Pod/web (1 of 3 replicas)",
                      self.notes)
        self.assertIn("skip NetworkPolicy/deny", self.notes)
        self.assertIn("skip Service/db", self.notes)

    def test_claim_template_becomes_a_claim_in_the_pods_file(self):
        docs = self.load("db")
        claims = [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
        self.assertEqual([c["metadata"]["name"] for c in claims],
                         ["data-database-0"])
        volumes = self.pod("db")["spec"]["volumes"]
        self.assertIn({"name": "data", "persistentVolumeClaim":
                       {"claimName": "data-database-0"}}, volumes)
        self.assertEqual(
            [d for d in self.load("web")
             if d["kind"] == "PersistentVolumeClaim"], [])

    def test_var_references_expand_like_the_kubelet(self):
        env = {e["name"]: e for e in
               self.pod("web")["spec"]["containers"][0]["env"]}
        self.assertEqual(env["URL"]["value"],
                         "redis://user:test-password@db:6379/$(UNKNOWN)")
        self.assertIn("valueFrom", env["PASSWORD"])  # left to podman
        args = self.pod("db")["spec"]["containers"][-1]["args"]
        self.assertEqual(args,
                         ["--requirepass", "test-password", "--literal",
                          "$(KEEP)"])

    def test_config_map_set_by_name_without_hash(self):
        cm = [d for d in self.load("web") if d["kind"] == "ConfigMap"][0]
        self.assertEqual(cm["data"]["FEED"], "file:///sample/")
        self.assertEqual(cm["data"]["ENDPOINT"], "db:6379")

    def test_secrets_in_the_form_their_use_needs(self):
        with open(os.path.join(self.out, "secrets", "db-auth.json"),
                  encoding="utf-8") as f:
            env_form = json.load(f)
        self.assertEqual(base64.b64decode(env_form["PASSWORD"]),
                         b"test-password")
        with open(os.path.join(self.out, "secrets", "tokens.yaml"),
                  encoding="utf-8") as f:
            volume_form = yaml.safe_load(f)
        self.assertEqual(volume_form["data"], {"tokens": "t1 reader"})
        volume = [v for v in self.pod("web")["spec"]["volumes"]
                  if v["name"] == "tokens"][0]
        self.assertIs(volume["secret"]["optional"], False)
        self.assertNotIn("Secret", [d["kind"] for d in self.load("web")])

    def test_containers_stay_verbatim_but_for_the_listed_changes(self):
        web = self.pod("web")["spec"]["containers"][0]
        self.assertEqual(web["image"], "localhost/example/web:t1")
        self.assertEqual(web["readinessProbe"],
                         {"httpGet": {"path": "/readyz", "port": "admin"}})
        self.assertEqual(web["securityContext"],
                         {"readOnlyRootFilesystem": True})
        self.assertIn({"name": "sample", "mountPath": "/sample",
                       "readOnly": True}, web["volumeMounts"])
        self.assertIn({"name": "web-tmp", "mountPath": "/tmp"},
                      web["volumeMounts"])
        self.assertEqual(self.pod("db")["spec"]["containers"][-1]["image"],
                         "docker.io/library/redis:7")  # no --image for it

    def test_fs_group_becomes_a_root_init_container(self):
        spec = self.pod("db")["spec"]
        init = spec["initContainers"][0]
        self.assertEqual(init["name"], "fsgroup")
        self.assertEqual(init["securityContext"]["runAsUser"], 0)
        self.assertIn("chgrp -R 999 '/data'", init["command"][2])
        self.assertEqual(spec["restartPolicy"], "OnFailure")
        self.assertNotIn("initContainers", self.pod("web")["spec"])
        with open(os.path.join(self.out, "volumes"), encoding="utf-8") as f:
            self.assertEqual(f.read().split(),
                             ["data-database-0", "tokens", "web-tmp"])

    def test_secret_used_as_env_and_volume_is_refused(self):
        both = RENDERED.replace("secretName: tokens", "secretName: db-auth")
        done = subprocess.run(
            [sys.executable, TOOL, "--out", os.path.join(self.dir.name, "x")],
            input=both, capture_output=True, text=True, check=False)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("Secret/db-auth is used as env and as a volume",
                      done.stderr)


if __name__ == "__main__":
    unittest.main()
