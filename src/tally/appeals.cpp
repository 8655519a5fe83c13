// src/tally/appeals.cpp — entry point: appeal_set::make. Checks a run's appeals against the
// rule set (duplicates are errors; unknown rules and misnamed findings are kept, each with the
// reason it will be listed as unmatched) and indexes them by record id and by window.
#include "decorum/tally/appeals.hpp"

#include "decorum/base/text.hpp"

#include <fmt/format.h>

#include <map>

namespace decorum {

namespace {

std::string window_key(std::uint32_t identity, std::string_view employee, std::string_view window) {
  std::string k = std::to_string(identity);
  k += '\x1f';
  k += employee;
  k += '\x1f';
  k += window;
  return k;
}

}  // namespace

result<std::shared_ptr<const appeal_set>, std::vector<diagnostic>> appeal_set::make(const rule_set& rules,
                                                                                    std::vector<appeal> appeals) {
  std::shared_ptr<appeal_set> set(new appeal_set());
  std::map<std::string, std::uint32_t> by_id;  // rule id → identity
  std::vector<std::string_view> ids;
  for (const compiled_rule& r : rules.rules())
    if (by_id.emplace(r.id, r.identity).second) ids.push_back(r.id);
  std::vector<diagnostic> errors;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint32_t> seen;
  for (std::uint32_t i = 0; i < appeals.size(); ++i) {
    const appeal& a = appeals[i];
    auto [it, inserted] = seen.try_emplace({a.rule, a.record, a.employee, a.window}, i);
    if (!inserted) {
      const appeal& first = appeals[it->second];
      diagnostic d;
      d.file = a.source;
      d.pos = {static_cast<std::uint32_t>(a.line), 1};
      d.source = a.text;
      d.code = diag_code::appeal_duplicate;
      d.message = fmt::format("a second appeal for the same finding (the first is at {}:{}); a finding is decided once",
                              first.source, first.line);
      errors.push_back(std::move(d));
      continue;
    }
    std::string reason;
    std::uint32_t identity = none;
    if (auto r = by_id.find(a.rule); r == by_id.end()) {
      const std::string hint = detail::did_you_mean(a.rule, ids);
      reason = hint.empty() ? fmt::format("unknown rule '{}'", a.rule)
                            : fmt::format("unknown rule '{}'; did you mean '{}'?", a.rule, hint);
    } else {
      identity = r->second;
      const bool window_rule = rules.rules()[identity].window;
      if (window_rule && !a.record.empty())
        reason = fmt::format("rule '{}' is a window rule: name its finding by employee and window, not by record", a.rule);
      else if (!window_rule && a.record.empty())
        reason = fmt::format("rule '{}' is not a window rule: name its finding by record, not by employee and window", a.rule);
    }
    set->reasons_.push_back(reason);
    set->identities_.push_back(identity);
    const auto index = static_cast<std::uint32_t>(set->appeals_.size());
    if (reason.empty()) {
      if (!a.record.empty()) set->records_[a.record].emplace_back(identity, index);
      else set->windows_.emplace(window_key(identity, a.employee, a.window), index);
    }
    set->appeals_.push_back(a);
  }
  if (!errors.empty()) return errors;
  // About 64 bits per id named, so a record named by none passes the filter once in ~64.
  std::size_t words = 1;
  while (words * 64 < set->records_.size() * 64 && words < (std::size_t{1} << 20)) words *= 2;
  set->record_bits_.assign(words, 0);
  const std::size_t mask = words * 64 - 1;
  for (const auto& [id, list] : set->records_) {
    const std::size_t h = text_hash{}(id) & mask;
    set->record_bits_[h / 64] |= std::uint64_t{1} << (h % 64);
  }
  return std::shared_ptr<const appeal_set>(std::move(set));
}

const std::vector<std::pair<std::uint32_t, std::uint32_t>>* appeal_set::on_record(std::string_view id) const {
  if (records_.empty()) return nullptr;
  const std::size_t h = text_hash{}(id) & (record_bits_.size() * 64 - 1);
  if (!((record_bits_[h / 64] >> (h % 64)) & 1)) return nullptr;
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

std::uint32_t appeal_set::on_window(std::uint32_t identity, std::string_view employee, std::string_view window) const {
  auto it = windows_.find(window_key(identity, employee, window));
  return it == windows_.end() ? none : it->second;
}

}  // namespace decorum
