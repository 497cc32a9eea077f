# deploy/smoke.sh as a test (ctest -L containers): builds every image with
# podman, plays the rendered local overlay with `podman kube play` (Redis and
# the four services), runs a bundled day with the lexical scorer and reads
# the digest over HTTP and gRPC. Needs root, kubectl and a few minutes (a
# first run compiles the project inside the build stage: add ~10), so
# scripts/test.sh leaves the label out of the default run.
add_test(NAME containers_smoke COMMAND ${PROJECT_SOURCE_DIR}/deploy/smoke.sh)
set_tests_properties(containers_smoke PROPERTIES LABELS containers
  TIMEOUT 2400 RUN_SERIAL TRUE)

# The converter smoke.sh plays the local overlay through (rendered objects
# -> what podman kube play 4.3 plays), on a small fixture: offline and fast
# (python3 with PyYAML), so it runs with the deploy checks.
add_test(NAME kube_play_manifests COMMAND python3
  ${PROJECT_SOURCE_DIR}/deploy/tools/kube-play-manifests-test.py)
set_tests_properties(kube_play_manifests PROPERTIES LABELS deploy TIMEOUT 60
  SKIP_RETURN_CODE 77)
