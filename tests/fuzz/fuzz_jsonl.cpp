// tests/fuzz/fuzz_jsonl.cpp — libFuzzer target: the JSON Lines reader and the scorer behind
// it. The input is a log; see fuzz_logs.hpp for the ways it is read and compared.
#include "fuzz_logs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run_log_target(data, size, false);
}
