# Turns INPUT (Chart.js, from Debian's libjs-chart.js) into a C++ source defining
# decorum::detail::chart_js_text(), so HTML reports inline it and open offline (issue 15).
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_js.cmake; do not edit.\n#include <string_view>\nnamespace decorum::detail {\nstatic const char chart_js[] = {${body} '\\0'};\nstd::string_view chart_js_text() { return {chart_js, sizeof chart_js - 1}; }\n}\n")
