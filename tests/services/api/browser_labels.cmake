# ctest -L browser: the api_tests that drive headless Chromium (they skip
# with a message when /usr/bin/chromium is absent). Included by ctest after
# the discovered api_tests (TEST_INCLUDE_FILES in tests/CMakeLists.txt), so
# the label is added to the suite's own; a name that is not discovered is
# ignored.
set_tests_properties(
  WebServerTest.ChromiumRendersDigestPage
  WebServerTest.ChromiumNoHorizontalScrollAt390px
  PROPERTIES LABELS "api_tests;browser")
