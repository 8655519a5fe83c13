// tests/base/test_result.cpp — entry point: doctest cases "result: …". The run-time error
// channel of base/result.hpp: a value or a diagnostic (or a rejection), never both.
#include "decorum/base/result.hpp"

#include <doctest/doctest.h>

#include <string>

using decorum::bad_result_access;
using decorum::diagnostic;
using decorum::make_error;
using decorum::rejection;
using decorum::result;

TEST_CASE("result: a value, or an error that value() throws with its message") {
  const result<int> good = 7;
  REQUIRE(good);
  CHECK(good.ok());
  CHECK(*good == 7);
  CHECK(good.value() == 7);

  const result<int> bad = make_error("cannot read", "p.json");
  CHECK_FALSE(bad);
  CHECK(bad.error().file == "p.json");
  CHECK(bad.error().message == "cannot read");
  CHECK(bad.error().pos.line == 0);
  CHECK_THROWS_WITH_AS((void)bad.value(), "p.json: error: cannot read", bad_result_access);
}

TEST_CASE("result: void results and rejections as the error type") {
  const result<void> fine;
  CHECK(fine.ok());
  CHECK_NOTHROW(fine.check());
  const result<void> failed = make_error("mismatch");
  CHECK_FALSE(failed.ok());
  CHECK_THROWS_WITH_AS(failed.check(), ": error: mismatch", bad_result_access);

  const result<std::string, rejection> rejected = rejection{2, 41, "rings: expected int, got \"four\""};
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error() == rejection{2, 41, "rings: expected int, got \"four\""});
  CHECK_THROWS_WITH_AS((void)rejected.value(), "rings: expected int, got \"four\"", bad_result_access);
  const result<std::string, rejection> text = std::string("ok");
  CHECK(text->size() == 2);
}
