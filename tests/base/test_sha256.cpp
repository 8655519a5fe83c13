// tests/base/test_sha256.cpp — doctest cases "sha256: …". detail::sha256_hex (src/base/sha256.cpp)
// against the FIPS 180-4 example vectors ("abc", the 448-bit two-block message) and the empty
// string, the padding edges (55, 56 and 64 bytes) and a million 'a', each checked with
// `sha256sum`; and the digest a report carries for a known rulebook text (SPEC §9).
#include "decorum/base/sha256.hpp"
#include "decorum/compile/compile.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using decorum::detail::sha256_hex;

TEST_CASE("sha256: FIPS 180-4 test vectors and padding edges") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // 55 bytes fit one padded block, 56 need a second, 64 fill one exactly.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: a rule set carries the digest of its text, byte for byte") {
  // printf 'decorum: 1\nname: t\nrecords:\n  call: {rings: int}\nrules: []\n' | sha256sum
  const std::string text = "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\nrules: []\n";
  std::vector<decorum::diagnostic> ds;
  auto rs = decorum::compile_rulebook("t.yaml", text, ds);
  REQUIRE(rs);
  CHECK(rs->sha256() == "4e73eee432228b7c2444a6e5a886cd1c54809e56237117c6edb63454224c17aa");
  CHECK(rs->sha256() == sha256_hex(text));
  // One byte more (a trailing comment) is another rulebook.
  auto other = decorum::compile_rulebook("t.yaml", text + "#\n", ds);
  REQUIRE(other);
  CHECK(other->sha256() != rs->sha256());
  CHECK(!rs->version());
}
