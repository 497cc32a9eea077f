# Offline checks of deploy/. Included from tests/CMakeLists.txt; all carry
# the label "deploy" (cd build && ctest -L deploy).
#  - deploy_validate: Prometheus config, rules and alert unit tests, the
#    Grafana dashboard, kustomize render + Kubernetes/KEDA schema validation
#    of the base and both overlays, Dockerfiles vs CMake targets and the
#    built binaries' shared libraries. Needs promtool, kubectl and node/npm;
#    deploy/tools/install.sh fetches the pinned npm packages on first use.
#  - deploy_alert_tests: promtool's unit tests of every alert (firing on
#    its failure, silent on health); needs only promtool.
#  - deploy_generated_in_sync: the copies kustomize needs inside its root
#    (deploy/k8s/base/configs/ = configs/, the PrometheusRule = the rule
#    files) are up to date; fix with deploy/tools/sync-generated.sh.
add_test(NAME deploy_validate
  COMMAND ${PROJECT_SOURCE_DIR}/deploy/validate.sh
          --build-dir ${PROJECT_BINARY_DIR} --no-alert-tests)
set_tests_properties(deploy_validate PROPERTIES LABELS deploy TIMEOUT 300)

find_program(ARXIV_DIGEST_PROMTOOL promtool)
if(ARXIV_DIGEST_PROMTOOL)
  add_test(NAME deploy_alert_tests
    COMMAND ${ARXIV_DIGEST_PROMTOOL} test rules tests/alerts.test.yml
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/prometheus)
  set_tests_properties(deploy_alert_tests PROPERTIES LABELS deploy TIMEOUT 180)
endif()

add_test(NAME deploy_generated_in_sync
  COMMAND ${PROJECT_SOURCE_DIR}/deploy/tools/sync-generated.sh --check)
set_tests_properties(deploy_generated_in_sync PROPERTIES LABELS deploy TIMEOUT 60)
