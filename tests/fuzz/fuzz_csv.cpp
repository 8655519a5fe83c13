// tests/fuzz/fuzz_csv.cpp — libFuzzer target: the CSV reader (header resolution, quoted
// cells, record boundaries) and the scorer behind it. The input is a log with its header;
// see fuzz_logs.hpp for the ways it is read and compared.
#include "fuzz_logs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run_log_target(data, size, true);
}
