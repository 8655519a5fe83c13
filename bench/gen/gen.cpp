// bench/gen/gen.cpp — entry point: main (decorum_bench_gen). Writes a deterministic,
// realistic inspection log for the benchmarks: N records of E employees over 2026, in JSON
// Lines or CSV, matching the record kinds of bench/rules/bench.yaml. The same seed gives the
// same logical records in both formats, so their reports must agree.
//
//   decorum_bench_gen --records N --employees E --seed S --format jsonl|csv -o FILE
//
// Only our own PRNG (splitmix64 seeding xoshiro256**) and integer arithmetic decide the
// content: std::uniform_*_distribution and floating-point formatting may differ between
// standard libraries, and a benchmark file must be byte-identical everywhere.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class rng {
 public:
  explicit rng(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, n) by multiply-high: the bias (n / 2^64) is far below anything a
  /// benchmark could notice, and it needs no rejection loop whose length could vary.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  /// True with probability per_mille / 1000.
  bool chance(unsigned per_mille) { return below(1000) < per_mille; }
  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// Picks an index by integer weights (weights need not sum to anything in particular).
template <std::size_t N>
std::size_t weighted(rng& r, const unsigned (&w)[N]) {
  unsigned total = 0;
  for (unsigned x : w) total += x;
  auto v = static_cast<unsigned>(r.below(total));
  for (std::size_t i = 0; i < N; ++i) {
    if (v < w[i]) return i;
    v -= w[i];
  }
  return N - 1;
}

// ---------------------------------------------------------------------------------------
// Vocabulary: what a property service centre's inspectors actually write down
// ---------------------------------------------------------------------------------------

constexpr const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
                                    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
                                    "邓", "曹", "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "欧阳"};
constexpr const char* given_names[] = {"芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
                                       "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "伟", "晓", "婷", "浩",
                                       "宇", "欣怡", "子涵", "建华", "建国", "玉兰", "海燕", "志强", "丹", "萍"};

constexpr const char* roles[] = {"receptionist", "butler", "concierge", "supervisor"};
constexpr unsigned role_weights[] = {40, 30, 20, 10};

// Phrases also listed in bench/rules/bench.yaml; keep the two in step so the rules fire.
constexpr const char* greetings[] = {"您好", "早上好", "下午好", "晚上好", "您回来了"};
constexpr const char* farewells[] = {"再见", "明天见", "祝您一路平安", "欢迎您下次再来"};
constexpr const char* apologies[] = {"对不起", "不好意思", "让您久等了", "打扰您了", "抱歉"};
constexpr const char* visitor_openings[] = {"请问您找哪一位", "我可以帮助您吗", "请问有什么可以帮您"};
constexpr const char* forbidden[] = {"这与我无关", "不归我管", "不知道", "不清楚", "不关我的事"};
constexpr const char* uncivil[] = {"你烦不烦", "少啰嗦", "爱找谁找谁", "你懂什么"};

constexpr const char* bodies[] = {
    "您的快递已经放在前台了",
    "维修师傅下午两点上门",
    "停车费可以在服务中心缴纳",
    "本周六小区停水，请提前储水",
    "电梯正在保养，请走二号电梯",
    "物业费可以通过微信缴纳",
    "装修需要先到服务中心登记",
    "请您在这里签个字",
    "您反映的问题我们已经记录",
    "明天上午会有人来检查燃气",
    "垃圾分类的宣传单在这里",
    "访客需要登记身份证",
    "您家的水表读数已经抄好了",
    "宠物请拴好绳子",
    "这个问题我马上帮您联系工程部",
    "请您稍等一下",
    "门禁卡补办需要二十元工本费",
    "地下车库的灯今晚修好",
    "您的投诉我们三天内答复",
    "ＷＩＦＩ密码贴在大堂柱子上",
    "小区北门晚上十点关闭",
    "我帮您查一下",
    "业主大会下周三在会所召开",
    "空调外机的位置需要统一",
};
constexpr const char* puncts[] = {"，", "。", "！", "？", "，", "。"};

constexpr const char* phone_openings_ok[] = {"您好！小区客服中心", "您好，服务中心", "您好，这里是物业客服中心，请讲"};
constexpr const char* phone_openings_bad[] = {"喂，你好", "喂,说话呀", "什么事", "您好，请讲"};
constexpr const char* phone_closings[] = {"好的，谢谢您，再见", "谢谢，再见！", "感谢您的来电，再见", "好的，谢谢您，再见", "嗯"};

constexpr const char* situations[] = {"greet", "answer", "apology", "farewell", "visitor"};
constexpr unsigned situation_weights[] = {25, 35, 10, 20, 10};

enum kind_id { utterance, phone_call, desk_check, dress_check, private_call, home_visit, incident, monthly_kpi };
constexpr const char* kind_names[] = {"utterance",    "phone_call", "desk_check", "dress_check",
                                      "private_call", "home_visit", "incident",   "monthly_kpi"};
constexpr unsigned kind_weights[] = {380, 200, 150, 120, 50, 70, 10, 20};

constexpr const char* uniforms[] = {"neat", "untidy", "not_worn"};
constexpr unsigned uniform_weights[] = {90, 7, 3};
constexpr const char* badges[] = {"left_chest", "askew", "missing"};
constexpr unsigned badge_weights[] = {92, 5, 3};
constexpr const char* ratings[] = {"satisfied", "neutral", "unsatisfied"};
constexpr unsigned rating_weights[] = {80, 15, 5};
constexpr const char* incident_types[] = {"physical_conflict", "quarrel", "drinking_on_duty"};
constexpr unsigned incident_weights[] = {10, 60, 30};

// ---------------------------------------------------------------------------------------
// Logical records, then two spellings of them
// ---------------------------------------------------------------------------------------

struct employee {
  std::string code;
  std::string name;
  const char* role;
};

/// A field value before it is spelled in JSON or CSV.
struct field {
  enum type { text, integer, tenths, hundredths, boolean, seconds } t;
  const char* name;
  std::string s;       // text
  std::int64_t n = 0;  // integer / tenths / hundredths / seconds
  bool b = false;
};

struct log_record {
  std::uint64_t index = 0;
  int day = 0;             // day of 2026, 0-based
  int clock = 0;           // seconds since midnight
  const employee* who = nullptr;
  bool named = false;      // whether the inspector wrote the name beside the code
  kind_id kind = utterance;
  std::vector<field> fields;
};

void add_text(log_record& r, const char* name, std::string s) { r.fields.push_back({field::text, name, std::move(s)}); }
void add_int(log_record& r, const char* name, field::type t, std::int64_t n) {
  r.fields.push_back({t, name, {}, n});
}
void add_bool(log_record& r, const char* name, bool b) { r.fields.push_back({field::boolean, name, {}, 0, b}); }

/// An utterance as staff say it: the set phrase the situation calls for (mostly), a body,
/// and now and then a forbidden or uncivil phrase — the rare events the rules look for.
std::string make_utterance(rng& r, std::size_t situation) {
  std::string t;
  auto body = [&] {
    t += r.pick(bodies);
    t += r.pick(puncts);
  };
  switch (situation) {
    case 0:  // greet
      if (r.chance(900)) {
        t += r.pick(greetings);
        t += r.chance(100) ? "," : "，";  // an ASCII comma now and then: CSV must quote the cell
      }
      body();
      break;
    case 1:  // answer
      if (r.chance(700)) t += "您好，";
      body();
      if (r.chance(200)) t += "谢谢。";
      break;
    case 2:  // apology
      if (r.chance(900)) {
        t += r.pick(apologies);
        t += "，";
      }
      body();
      break;
    case 3:  // farewell
      body();
      if (r.chance(900)) t += r.pick(farewells);
      break;
    default:  // visitor
      t += "您好，";
      if (r.chance(900)) {
        t += r.pick(visitor_openings);
        t += "？";
      } else {
        body();
      }
      break;
  }
  // About 3% of utterances hold a forbidden phrase, a few of them twice (so `count` and the
  // progressive price matter), and 0.5% an uncivil one.
  if (r.chance(30)) {
    t += r.pick(forbidden);
    t += r.chance(300) ? "，" : "。";
    if (r.chance(200)) {
      t += r.pick(forbidden);
      t += "。";
    }
  }
  if (r.chance(5)) {
    t += r.pick(uncivil);
    t += "！";
  }
  // Rare spellings the readers must cope with: an ASCII quote (JSON escape, CSV doubling),
  // an ideographic space (folded by phrase matching).
  if (r.chance(3)) t += "他说\"马上到\"。";
  if (r.chance(10)) t += "　";
  return t;
}

/// Fills `rec` (reused, so its field vector is allocated once) with record i of n.
void make_record(rng& r, const std::vector<employee>& staff, std::uint64_t i, std::uint64_t n, log_record& rec) {
  // Times run through 2026 in order, inside a 07:00–21:00 working day, with a jitter of up
  // to 1.5 records' spacing so neighbours sometimes swap (logs are merged from several
  // inspectors' sheets, never perfectly sorted).
  constexpr std::uint64_t day_seconds = 14 * 3600;
  constexpr std::uint64_t span = 365 * day_seconds;
  constexpr std::uint64_t k = 1024;
  const unsigned __int128 scaled = static_cast<unsigned __int128>(i * k + r.below(k + k / 2)) * span / (n * k);
  const std::uint64_t at = scaled >= span ? span - 1 : static_cast<std::uint64_t>(scaled);
  rec.index = i;
  rec.day = static_cast<int>(at / day_seconds);
  rec.clock = static_cast<int>(7 * 3600 + at % day_seconds);
  rec.who = &staff[r.below(staff.size())];
  rec.named = r.chance(600);
  rec.kind = static_cast<kind_id>(weighted(r, kind_weights));
  rec.fields.clear();
  switch (rec.kind) {
    case utterance: {
      const std::size_t s = weighted(r, situation_weights);
      if (r.chance(600)) add_text(rec, "situation", situations[s]);
      add_text(rec, "text", make_utterance(r, s));
      break;
    }
    case phone_call: {
      static constexpr unsigned ring_weights[] = {0, 35, 30, 20, 8, 4, 2, 1};
      add_int(rec, "rings", field::integer, static_cast<std::int64_t>(weighted(r, ring_weights)));
      add_text(rec, "opening", r.chance(850) ? r.pick(phone_openings_ok) : r.pick(phone_openings_bad));
      if (r.chance(400)) add_text(rec, "closing", r.pick(phone_closings));
      if (r.chance(600)) add_int(rec, "duration", field::seconds, r.chance(900) ? r.between(20, 600) : r.between(600, 2400));
      if (r.chance(500)) add_bool(rec, "logged", r.chance(950));
      break;
    }
    case desk_check:
      add_bool(rec, "attended", r.chance(970));
      add_bool(rec, "standing", r.chance(850));
      if (r.chance(400)) add_bool(rec, "leaning", r.chance(80));
      break;
    case dress_check:
      add_text(rec, "uniform", uniforms[weighted(r, uniform_weights)]);
      add_text(rec, "badge", badges[weighted(r, badge_weights)]);
      if (r.chance(700)) add_int(rec, "nail_length_mm", field::tenths, r.chance(900) ? r.between(3, 20) : r.between(21, 35));
      if (r.chance(500)) add_bool(rec, "nail_polish", r.chance(40));
      break;
    case private_call:
      add_int(rec, "duration", field::seconds, r.chance(800) ? r.between(30, 300) : r.between(301, 1800));
      break;
    case home_visit:
      add_text(rec, "rating", ratings[weighted(r, rating_weights)]);
      add_bool(rec, "owner_signed", r.chance(950));
      if (r.chance(300)) add_bool(rec, "paid", r.chance(500));
      break;
    case incident:
      add_text(rec, "type", incident_types[weighted(r, incident_weights)]);
      add_bool(rec, "severe", r.chance(200));
      break;
    case monthly_kpi:
      add_int(rec, "arrears_rate_pct", field::hundredths, r.between(1500, 3500));
      break;
  }
}

// ---------------------------------------------------------------------------------------
// Spelling
// ---------------------------------------------------------------------------------------

/// Gregorian date of day `d` of 2026 (a common year starting on a Thursday).
void date_of(int d, int& month, int& mday) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  month = 0;
  while (d >= lengths[month]) d -= lengths[month++];
  ++month;
  mday = d + 1;
}

void put2(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

void put_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

/// Fixed-point without floating point, so the digits never depend on a libc's printf.
void put_fixed(std::string& out, std::int64_t v, int decimals) {
  std::int64_t scale = decimals == 1 ? 10 : 100;
  put_int(out, v / scale);
  out += '.';
  if (decimals == 2) put2(out, static_cast<int>(v % 100));
  else out += static_cast<char>('0' + v % 10);
}

void put_time(std::string& out, const log_record& r, char sep, bool offset) {
  int month = 0, mday = 0;
  date_of(r.day, month, mday);
  out += "2026-";
  put2(out, month);
  out += '-';
  put2(out, mday);
  out += sep;
  put2(out, r.clock / 3600);
  out += ':';
  put2(out, r.clock / 60 % 60);
  out += ':';
  put2(out, r.clock % 60);
  if (offset) out += "+08:00";
}

/// Durations as inspectors type them: "7m" when whole minutes, else "425s".
void put_duration_text(std::string& out, std::int64_t s) {
  const bool minutes = s % 60 == 0;
  put_int(out, minutes ? s / 60 : s);
  out += minutes ? 'm' : 's';
}

void put_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void write_jsonl(std::string& out, const log_record& r, rng& style) {
  out += "{\"id\":\"r";
  put_int(out, static_cast<std::int64_t>(r.index + 1));
  out += "\",\"time\":\"";
  put_time(out, r, 'T', false);
  out += "\",\"employee\":\"";
  out += r.who->code;
  if (r.named) {
    out += "\",\"name\":\"";
    out += r.who->name;
  }
  out += "\",\"role\":\"";
  out += r.who->role;
  out += "\",\"kind\":\"";
  out += kind_names[r.kind];
  out += '"';
  for (const auto& f : r.fields) {
    out += ",\"";
    out += f.name;
    out += "\":";
    switch (f.t) {
      case field::text: put_json_string(out, f.s); break;
      case field::integer: put_int(out, f.n); break;
      case field::tenths: put_fixed(out, f.n, 1); break;
      case field::hundredths: put_fixed(out, f.n, 2); break;
      case field::boolean: out += f.b ? "true" : "false"; break;
      case field::seconds:
        // Exporters disagree: some write "7m", others a plain number of seconds.
        if (style.chance(500)) {
          out += '"';
          put_duration_text(out, f.n);
          out += '"';
        } else {
          put_int(out, f.n);
        }
        break;
    }
  }
  out += "}\n";
}

// One column per field of any kind, in a fixed order; a row fills its kind's columns only.
constexpr const char* csv_columns[] = {"id",          "time",     "employee",       "name",        "role",
                                       "kind",        "situation", "text",          "rings",       "opening",
                                       "closing",     "duration", "logged",         "attended",    "standing",
                                       "leaning",     "uniform",  "badge",          "nail_length_mm", "nail_polish",
                                       "rating",      "owner_signed", "paid",       "type",        "severe",
                                       "arrears_rate_pct"};
constexpr std::size_t csv_fixed = 6;  // id … kind
constexpr std::size_t csv_column_count = sizeof csv_columns / sizeof csv_columns[0];

std::size_t csv_column_of(const char* name) {
  for (std::size_t c = csv_fixed; c < csv_column_count; ++c)
    if (std::strcmp(csv_columns[c], name) == 0) return c;
  std::fprintf(stderr, "decorum_bench_gen: internal error: no CSV column %s\n", name);
  std::exit(3);
}

void put_csv_cell(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void write_csv(std::string& out, const log_record& r, rng& style) {
  out += 'r';
  put_int(out, static_cast<std::int64_t>(r.index + 1));
  out += ',';
  put_time(out, r, ' ', false);
  out += ',';
  out += r.who->code;
  out += ',';
  if (r.named) out += r.who->name;
  out += ',';
  out += r.who->role;
  out += ',';
  out += kind_names[r.kind];
  // Fields come in column order within a kind (see make_record), so cells can be written
  // left to right, padding the gaps with empty cells.
  std::size_t column = csv_fixed;
  for (const auto& f : r.fields) {
    const std::size_t c = csv_column_of(f.name);
    for (; column <= c; ++column) out += ',';
    switch (f.t) {
      case field::text: put_csv_cell(out, f.s); break;
      case field::integer: put_int(out, f.n); break;
      case field::tenths: put_fixed(out, f.n, 1); break;
      case field::hundredths: put_fixed(out, f.n, 2); break;
      case field::boolean: {
        // Spreadsheets export booleans every which way; SPEC §3 accepts all of these.
        static constexpr const char* yes[] = {"true", "1", "yes", "是"};
        static constexpr const char* no[] = {"false", "0", "no", "否"};
        const auto v = style.below(4);
        out += f.b ? yes[v] : no[v];
        break;
      }
      case field::seconds:
        if (style.chance(500)) put_duration_text(out, f.n);
        else put_int(out, f.n);
        break;
    }
  }
  for (; column < csv_column_count; ++column) out += ',';
  out += '\n';
}

std::vector<employee> make_staff(std::uint64_t seed, std::uint64_t count) {
  rng r(seed ^ 0x5EEDull);
  const int width = count < 10000 ? 4 : static_cast<int>(std::to_string(count).size());
  std::vector<employee> staff;
  staff.reserve(count);
  for (std::uint64_t e = 1; e <= count; ++e) {
    employee x;
    const std::string digits = std::to_string(e);
    x.code.assign(1, 'E');
    x.code.append(static_cast<std::size_t>(width) - digits.size(), '0');
    x.code += digits;
    x.name = r.pick(surnames);
    x.name += r.pick(given_names);
    x.role = roles[weighted(r, role_weights)];
    staff.push_back(std::move(x));
  }
  return staff;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "decorum_bench_gen: %s\n"
               "usage: decorum_bench_gen --records N --employees E --seed S --format jsonl|csv -o FILE\n",
               why);
  std::exit(2);
}

std::uint64_t parse_count(const char* s, const char* what) {
  std::uint64_t v = 0;
  const char* end = s + std::strlen(s);
  auto res = std::from_chars(s, end, v);
  if (res.ec != std::errc{} || res.ptr != end) usage(what);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t records = 1'000'000, employees = 1000, seed = 1;
  std::string format = "jsonl", output = "-";
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value after an option");
      return argv[++i];
    };
    if (a == "--records" || a == "-n") records = parse_count(value(), "--records needs a count");
    else if (a == "--employees" || a == "-e") employees = parse_count(value(), "--employees needs a count");
    else if (a == "--seed" || a == "-s") seed = parse_count(value(), "--seed needs a number");
    else if (a == "--format" || a == "-f") format = value();
    else if (a == "--output" || a == "-o") output = value();
    else usage("unknown option");
  }
  if (format != "jsonl" && format != "csv") usage("--format must be jsonl or csv");
  if (employees == 0) usage("--employees must be at least 1");
  const bool csv = format == "csv";

  std::FILE* out = output == "-" ? stdout : std::fopen(output.c_str(), "wb");
  if (!out) {
    std::fprintf(stderr, "decorum_bench_gen: cannot write %s\n", output.c_str());
    return 1;
  }
  const auto staff = make_staff(seed, employees);
  rng content(seed);
  rng style(seed ^ 0xC0FFEEull);  // spelling choices only, so both formats share `content`
  std::string buf;
  buf.reserve(std::size_t{1} << 21);
  if (csv) {
    for (std::size_t c = 0; c < csv_column_count; ++c) {
      if (c) buf += ',';
      buf += csv_columns[c];
    }
    buf += '\n';
  }
  log_record rec;
  for (std::uint64_t i = 0; i < records; ++i) {
    make_record(content, staff, i, records, rec);
    if (csv) write_csv(buf, rec, style);
    else write_jsonl(buf, rec, style);
    if (buf.size() >= (std::size_t{1} << 20)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) break;
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  if (std::fflush(out) != 0 || std::ferror(out) || (out != stdout && std::fclose(out) != 0)) {
    std::fprintf(stderr, "decorum_bench_gen: error writing %s\n", output.c_str());
    return 1;
  }
  return 0;
}
