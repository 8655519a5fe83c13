# tests/xlsx/run_xlsx.cmake — the CTest xlsx-openpyxl: writes each case's report as xlsx and as
# JSON and has check_xlsx.py (openpyxl, an independent reader) compare every cell of the
# workbook with the JSON. Cases: tests/e2e's appeals (window, deadline and appeal findings,
# unmatched appeals), deadline with an early --as-of (pending duties), bad.jsonl (rejected
# records), the examples/ logs under the built-in rulebook (Chinese names), tests/xlsx/tricky
# (formula-like texts, a number of 16 significant digits, a rejected record) and the same
# through `decorum merge -f xlsx`.
# Usage: cmake -DDECORUM=path/to/decorum -DPYTHON=/usr/bin/python3 -DSRC=source-dir -DWORK=dir -P run_xlsx.cmake
if(NOT DECORUM OR NOT PYTHON OR NOT SRC OR NOT WORK)
  message(FATAL_ERROR "run_xlsx.cmake needs -DDECORUM=… -DPYTHON=… -DSRC=… -DWORK=…")
endif()
file(MAKE_DIRECTORY "${WORK}")

function(run dir)
  execute_process(COMMAND "${DECORUM}" ${ARGN} WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "decorum ${ARGN} exited ${rc}\n${err}")
  endif()
endfunction()

# One case: `decorum score ARGS` in DIR as xlsx and as JSON, then check_xlsx.py with CHECK flags.
function(case name dir check)
  run("${dir}" score ${ARGN} -f xlsx -o "${WORK}/${name}.xlsx")
  run("${dir}" score ${ARGN} -f json -o "${WORK}/${name}.json")
  execute_process(COMMAND "${PYTHON}" "${SRC}/tests/xlsx/check_xlsx.py" "${WORK}/${name}.xlsx" "${WORK}/${name}.json" ${check}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: check_xlsx.py failed\n${out}${err}")
  endif()
  string(STRIP "${out}" out)
  message(STATUS "${name}: ${out}")
endfunction()

set(e2e "${SRC}/tests/e2e")
set(xlsx "${SRC}/tests/xlsx")
case(appeals "${e2e}" "--findings" -r appeals.yaml appeals.jsonl --appeals appeals-decisions.jsonl --findings)
case(appeals-plain "${e2e}" "" -r appeals.yaml appeals.jsonl --appeals appeals-decisions.jsonl)
case(pending "${e2e}" "--findings" -r deadline.yaml --as-of 2026-11-07T08:00 deadline.jsonl --findings)
case(rejected "${e2e}" "" -r bad.yaml bad.jsonl)
case(groups "${e2e}" "" -r groups.yaml groups.jsonl --group-by site)
case(examples "${SRC}/examples" "--findings" nov-2026.jsonl nov-2026-front-desk.csv --findings)
case(tricky "${xlsx}" "--findings;--formula-like;--text-number" -r tricky.yaml tricky.jsonl --findings)

# `decorum merge -f xlsx` over a partial result gives the workbook of the merged JSON report.
run("${xlsx}" score -r tricky.yaml tricky.jsonl --findings -f partial -o "${WORK}/tricky.partial")
run("${xlsx}" merge -r tricky.yaml "${WORK}/tricky.partial" -f xlsx -o "${WORK}/merged.xlsx")
run("${xlsx}" merge -r tricky.yaml "${WORK}/tricky.partial" -f json -o "${WORK}/merged.json")
execute_process(COMMAND "${PYTHON}" "${xlsx}/check_xlsx.py" "${WORK}/merged.xlsx" "${WORK}/merged.json" --findings --formula-like
                        --text-number
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "merge: check_xlsx.py failed\n${out}${err}")
endif()
string(STRIP "${out}" out)
message(STATUS "merged: ${out}")
