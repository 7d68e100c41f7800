# egress_compile(TARGET name SOURCES a.egress [b.egress ...] OUTPUT_DIR dir [TARGETS arm bicep az k8s] [STRICT])
#
# Compiles each program in SOURCES with `egressc build` into OUTPUT_DIR (<stem>.json, .bicep, .sh, .yaml for
# the requested TARGETS, all four by default) as part of the custom target `name`, built by default. egressc
# writes a depfile of the files it read (`--depfile`), so the build re-runs it only when a program, one of its
# imports or egressc itself changed. Installed with egress (find_package(egress)); documented in docs/cli.md.
function(egress_compile)
  cmake_parse_arguments(EC "STRICT" "TARGET;OUTPUT_DIR" "SOURCES;TARGETS" ${ARGN})
  if(NOT EC_TARGET OR NOT EC_SOURCES OR NOT EC_OUTPUT_DIR)
    message(FATAL_ERROR "egress_compile: TARGET, SOURCES and OUTPUT_DIR are required")
  endif()
  if(NOT EC_TARGETS)
    set(EC_TARGETS arm bicep az k8s)
  endif()
  set(extension_arm .json)
  set(extension_bicep .bicep)
  set(extension_az .sh)
  set(extension_k8s .yaml)
  cmake_path(ABSOLUTE_PATH EC_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
  set(flags)
  foreach(t IN LISTS EC_TARGETS)
    if(NOT DEFINED extension_${t})
      message(FATAL_ERROR "egress_compile: unknown target '${t}' (arm, bicep, az, k8s)")
    endif()
    list(APPEND flags --target ${t})
  endforeach()
  if(EC_STRICT)
    list(APPEND flags --strict)
  endif()
  set(all_outputs)
  foreach(source IN LISTS EC_SOURCES)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    cmake_path(GET source STEM LAST_ONLY stem)
    set(outputs)
    foreach(t IN LISTS EC_TARGETS)
      list(APPEND outputs "${EC_OUTPUT_DIR}/${stem}${extension_${t}}")
    endforeach()
    set(depfile "${EC_OUTPUT_DIR}/${stem}.egress.d")
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${EC_OUTPUT_DIR}"
      COMMAND egress::egressc build "${source}" -o "${EC_OUTPUT_DIR}" ${flags} --depfile "${depfile}"
      DEPENDS "${source}" egress::egressc
      DEPFILE "${depfile}"
      COMMENT "egressc build ${stem}"
      VERBATIM)
    list(APPEND all_outputs ${outputs})
  endforeach()
  add_custom_target(${EC_TARGET} ALL DEPENDS ${all_outputs})
endfunction()
