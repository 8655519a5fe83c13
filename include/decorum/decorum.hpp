// decorum/decorum.hpp — the umbrella header of decorum's C++ API: compile a rulebook
// (rule_set), score records (scorer, record_builder, score_batch), save and merge partial
// results, run rulebook tests, and format reports. Internals (the expression grammar, lowered
// programs) are not reached from here, and nothing here needs Boost.
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/base/result.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/read/read.hpp"
#include "decorum/tally/state.hpp"
#include "decorum/tally/tally.hpp"
#include "decorum/report/report.hpp"
#include "decorum/report/diff.hpp"
#include "decorum/report/xlsx.hpp"
#include "decorum/report/explain.hpp"
#include "decorum/report/groups.hpp"
#include "decorum/report/inspectors.hpp"
#include "decorum/api/batch.hpp"
#include "decorum/api/diff.hpp"
#include "decorum/api/inspectors.hpp"
#include "decorum/api/partial.hpp"
#include "decorum/api/record_builder.hpp"
#include "decorum/api/rule_tests.hpp"
