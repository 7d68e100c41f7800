# Writes OUTPUT, the man page egressc(1), from what `EGRESSC --help` prints, so that the two cannot drift:
# the first line is NAME, the usage block SYNOPSIS, the paragraphs after it DESCRIPTION, and the line starting
# "exit status:" EXIT STATUS. Text is escaped for roff (backslashes, hyphens, lines starting with . or ').
cmake_minimum_required(VERSION 3.25)  # policies of today (CMP0054: quoted strings are not variables)
execute_process(COMMAND "${EGRESSC}" --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${EGRESSC} --help failed (${status})")
endif()
string(REPLACE "\\" "\\e" help "${help}")
string(REPLACE "-" "\\-" help "${help}")
string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "${help}")
# CMake lists do not split inside [...]: hide brackets and semicolons while the text is a list of lines.
string(REPLACE "[" "@LB@" help "${help}")
string(REPLACE "]" "@RB@" help "${help}")
string(REPLACE ";" "@SC@" help "${help}")
string(REPLACE "\n" ";" lines "${help}")

set(name "")
set(synopsis "")
set(description "")
set(exit_status "")
set(part name)
foreach(line IN LISTS lines)
  string(REPLACE "@LB@" "[" line "${line}")
  string(REPLACE "@RB@" "]" line "${line}")
  string(REPLACE "@SC@" ";" line "${line}")
  if(part STREQUAL "name")
    set(name "${line}")
    set(part before_usage)
  elseif(line STREQUAL "usage:")
    set(part synopsis)
  elseif(part STREQUAL "synopsis" AND line STREQUAL "")
    set(part description)
  elseif(part STREQUAL "synopsis")
    string(REGEX REPLACE "^  " "" line "${line}")
    string(APPEND synopsis "${line}\n")
  elseif(line MATCHES "^exit status: (.*)")
    set(exit_status "${CMAKE_MATCH_1}")
  elseif(part STREQUAL "description" AND NOT line STREQUAL "")
    string(APPEND description "${line}\n")
  endif()
endforeach()

file(WRITE "${OUTPUT}" ".\\\" Generated from `egressc --help` by cmake/make_manpage.cmake; edit the help text.
.TH EGRESSC 1 \"\" \"egressc ${VERSION}\" \"User Commands\"
.SH NAME
${name}
.SH SYNOPSIS
.nf
${synopsis}.fi
.SH DESCRIPTION
${description}.PP
The language is described in docs/reference.md, the commands in docs/cli.md and every diagnostic in
docs/diagnostics.md of the egress sources.
.SH EXIT STATUS
${exit_status}
")
