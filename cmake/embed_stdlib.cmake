# Writes OUTPUT: a C++ file that holds every stdlib/*.egress module as a string, so egressc needs no
# files beside it. Run as: cmake -DSTDLIB_DIR=... -DOUTPUT=... -P embed_stdlib.cmake
file(GLOB modules "${STDLIB_DIR}/*.egress")
list(SORT modules)
set(body "")
foreach(path IN LISTS modules)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" text)
  string(APPEND body "    {\"${name}\", R\"egress_stdlib(${text})egress_stdlib\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from stdlib/*.egress by cmake/embed_stdlib.cmake. Do not edit.
#include \"api/stdlib.hpp\"

namespace egress {

const std::map<std::string, std::string, std::less<>>& stdlib_modules() {
  static const std::map<std::string, std::string, std::less<>> modules = {
${body}  };
  return modules;
}

}  // namespace egress
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
