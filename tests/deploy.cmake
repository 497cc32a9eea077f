# Offline checks of deploy/ (Prometheus config, rules and alert unit tests,
# Grafana dashboard, kustomize render + Kubernetes/KEDA schema validation,
# Dockerfiles vs CMake targets and the built binaries' shared libraries).
# Included from tests/CMakeLists.txt. Needs promtool, kubectl and node/npm;
# deploy/tools/install.sh fetches the pinned npm packages on first use.
add_test(NAME deploy_validate
  COMMAND ${PROJECT_SOURCE_DIR}/deploy/validate.sh
          --build-dir ${PROJECT_BINARY_DIR})
set_tests_properties(deploy_validate PROPERTIES LABELS deploy TIMEOUT 300)
