# tests/golden/run_check.cmake — the CTest cli_check_golden: runs `decorum check` on
# check_bad.yaml in this directory and compares, byte for byte, standard error with
# check_bad.txt (diagnostics with source lines and carets, in file order) and the
# `--format json` standard output with check_bad.json; both runs must exit 1.
# Usage: cmake -DDECORUM=path/to/decorum -DDIR=tests/golden -P run_check.cmake
if(NOT DECORUM OR NOT DIR)
  message(FATAL_ERROR "run_check.cmake needs -DDECORUM=… and -DDIR=…")
endif()

function(expect_same what actual golden_file)
  file(READ "${DIR}/${golden_file}" expected)
  if(NOT actual STREQUAL expected)
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/${golden_file}.actual" "${actual}")
    message(FATAL_ERROR "${what} differs from ${golden_file}; got (also in "
                        "${CMAKE_CURRENT_BINARY_DIR}/${golden_file}.actual):\n${actual}")
  endif()
endfunction()

execute_process(COMMAND "${DECORUM}" check check_bad.yaml
                WORKING_DIRECTORY "${DIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "decorum check check_bad.yaml exited ${rc}, expected 1\n${err}")
endif()
expect_same("standard error of decorum check" "${err}" check_bad.txt)
if(NOT out STREQUAL "check_bad.yaml: 16 errors, 4 warnings\n")
  message(FATAL_ERROR "unexpected summary on standard output: ${out}")
endif()

execute_process(COMMAND "${DECORUM}" check --format json check_bad.yaml
                WORKING_DIRECTORY "${DIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "decorum check --format json check_bad.yaml exited ${rc}, expected 1\n${err}")
endif()
expect_same("standard output of decorum check --format json" "${out}" check_bad.json)
if(NOT err STREQUAL "")
  message(FATAL_ERROR "decorum check --format json wrote to standard error:\n${err}")
endif()
