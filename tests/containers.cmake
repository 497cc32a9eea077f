# deploy/smoke.sh as a test (ctest -L containers): builds every image with
# podman, runs Redis and the four services as containers on a bundled day
# with the lexical scorer and reads the digest over HTTP and gRPC. Needs
# root and several minutes (a first run compiles the project inside the
# build stage), so scripts/test.sh leaves the label out of the default run.
add_test(NAME containers_smoke COMMAND ${PROJECT_SOURCE_DIR}/deploy/smoke.sh)
set_tests_properties(containers_smoke PROPERTIES LABELS containers
  TIMEOUT 2400 RUN_SERIAL TRUE)
