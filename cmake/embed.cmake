# Turns INPUT into a C++ source defining decorum::detail::builtin_rulebook_text(),
# so the CLI carries its default rulebook and works from any directory.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" n)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
get_filename_component(name ${INPUT} NAME)
file(WRITE ${OUTPUT} "// Generated from rules/${name} by cmake/embed.cmake; do not edit.\n#include <string_view>\nnamespace decorum::detail {\nstatic const char data[] = {${body} '\\0'};\nstd::string_view builtin_rulebook_text() { return {data, sizeof data - 1}; }\nstd::string_view builtin_rulebook_name() { return \"rules/${name}\"; }\n}\n")
