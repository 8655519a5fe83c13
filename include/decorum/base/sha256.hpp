// decorum/base/sha256.hpp — entry point: sha256_hex. SHA-256 (FIPS 180-4) of a byte string,
// as lower-case hex: the digest reports carry to name the rulebook that produced them
// (SPEC §9) and partial results carry so `merge` can refuse another rulebook's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace decorum::detail {

/// The 32-byte SHA-256 digest of `bytes`.
std::array<std::uint8_t, 32> sha256(std::string_view bytes) noexcept;

/// The SHA-256 digest of `bytes` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace decorum::detail
