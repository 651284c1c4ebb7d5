# Makes latentscape-cli(1) from resources/man/latentscape-cli.1.in and the program's own help texts,
# so the man page lists exactly the commands and options of the build it is installed with.
#   cmake -DCLI=path/to/latentscape-cli -DTEMPLATE=latentscape-cli.1.in -DOUT=latentscape-cli.1
#         -DVERSION=0.1.0 -DDATE=2026-12-07 -P make-manpage.cmake
cmake_minimum_required(VERSION 3.25)
foreach(v CLI TEMPLATE OUT VERSION DATE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "make-manpage.cmake: -D${v}=... is required")
  endif()
endforeach()

# Plain text as a roff block that is printed as it is: backslashes and minus signs escaped, lines
# that would read as requests (a leading dot or quote) protected.
function(roff_block text out_var)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} ".nf\n${text}\n.fi" PARENT_SCOPE)
endfunction()

function(help_of out_var)
  execute_process(COMMAND "${CLI}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "make-manpage.cmake: '${CLI} ${ARGN}' failed (${rc}): ${err}")
  endif()
  string(STRIP "${text}" text)
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

help_of(overview --help)
# The command names: the indented lines between "commands:" and the first blank line after it.
string(REGEX MATCH "commands:\n(.*)" listing "${overview}")
string(REGEX REPLACE "\n\n.*" "" listing "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "(^|\n)  [a-z][a-z-]*" names "${listing}")
if(NOT names)
  message(FATAL_ERROR "make-manpage.cmake: no commands found in '${CLI} --help'")
endif()

roff_block("${overview}" block)
set(commands ".PP\nThe overview printed by \\fBlatentscape\\-cli \\-\\-help\\fR:\n${block}\n")
foreach(entry ${names})
  string(STRIP "${entry}" name)
  help_of(text ${name} --help)
  roff_block("${text}" block)
  string(APPEND commands ".SS ${name}\n${block}\n")
endforeach()

file(READ "${TEMPLATE}" page)
string(REPLACE [[@VERSION@]] "${VERSION}" page "${page}")
string(REPLACE [[@DATE@]] "${DATE}" page "${page}")
string(REPLACE [[@COMMANDS@]] "${commands}" page "${page}")
file(WRITE "${OUT}.tmp" "${page}")
file(RENAME "${OUT}.tmp" "${OUT}")
