// src/read/detect.hpp — entry point: detail::choose_decoding. Decides, per input, which bytes
// to decode how: a BOM decides, else valid UTF-8 is UTF-8, else uchardet guesses (input.cpp
// reads with the answer).
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/read/read.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace decorum::detail {

/// How one input is decoded.
struct decoding {
  std::string name;        ///< shown to people: "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE"
  std::string iconv;       ///< iconv's name of the source encoding; empty: UTF-8, read as is
  std::size_t bom = 0;     ///< bytes of byte-order mark to skip before decoding
};

/// The decoding for an input whose first bytes are `sample` (`complete`: the whole input).
/// `requested` forces an encoding (a BOM contradicting it is an error); `automatic` detects.
/// The error (naming `name`) says the input cannot be decoded at all. `invalid_at`, when
/// given, is where the sample's first invalid UTF-8 byte is (npos: none) as the caller already
/// found it, so a mapped file is not scanned twice.
result<decoding> choose_decoding(std::string_view sample, bool complete, text_encoding requested,
                                 const std::string& name, std::optional<std::size_t> invalid_at = std::nullopt);

/// How much of a stream choose_decoding sees before the first record is read.
inline constexpr std::size_t sniff_bytes = std::size_t{64} << 10;

}  // namespace decorum::detail
