// src/split_mapped.hpp — internal: split_input's memory-mapped path (src/split_mapped.cpp).
#pragma once

#include "decorum/read.hpp"

#include <optional>
#include <string>

namespace decorum::detail {

/// Splits the regular file open on `fd` (UTF-8, read from offset 0) into chunks of whole
/// records that point into a memory mapping, with split_input's rules and messages. Returns
/// nothing, having read nothing, when the file cannot be mapped (a pipe, an empty file, a
/// failed mmap): the caller then reads it with read(2).
std::optional<input_result> split_mapped(const record_schema& schema, int fd, const std::string& name,
                                         input_format format, std::uint32_t source, chunk_handler& handler,
                                         std::size_t block_size);

}  // namespace decorum::detail
