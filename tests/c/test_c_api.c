/* tests/c/test_c_api.c — entry point: main. The C API (decorum/decorum.h) compiled as C and
 * linked against the shared libdecorum_c, as a C program or an FFI would use it: rulebooks
 * from text and files with diagnostics, records as JSON and field by field, rejections as
 * statuses with reasons, reports, merging and partial results, and null arguments refused.
 * Ends with "N passed, N failed". */
#include "decorum/decorum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0, failed = 0;

/* Counts a check; prints the failing expression and line. */
#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      ++passed;                                                       \
    } else {                                                          \
      ++failed;                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

static const char* rulebook =
    "decorum: 1\n"
    "name: c-test\n"
    "scoring: {period: month}\n"
    "records:\n"
    "  phone_call: {rings: int, opening: text}\n"
    "rules:\n"
    "  - id: rings\n"
    "    on: phone_call\n"
    "    when: rings > 3\n"
    "    deduct: [10, 20]\n"
    "    fine: 1.5\n";

static int contains(const char* text, const char* part) { return text && strstr(text, part) != NULL; }

static void test_rules(void) {
  decorum_rules* rules = NULL;
  char* diags = NULL;
  CHECK(decorum_rules_load_string("c.yaml", rulebook, strlen(rulebook), &rules, &diags) == DECORUM_OK);
  CHECK(rules != NULL);
  CHECK(diags != NULL && diags[0] == '\0');
  CHECK(strcmp(decorum_rules_name(rules), "c-test") == 0);
  CHECK(decorum_rules_count(rules) == 1);
  decorum_string_free(diags);
  decorum_rules_free(rules);

  /* A mistake comes back as text with its line and column. */
  const char* bad = "decorum: 1\nname: bad\nrecords: {a: {n: int}}\nrules:\n  - id: r\n    on: a\n    deduc: 1\n";
  rules = NULL;
  CHECK(decorum_rules_load_string("bad.yaml", bad, strlen(bad), &rules, &diags) == DECORUM_INVALID_RULEBOOK);
  CHECK(rules == NULL);
  CHECK(contains(diags, "bad.yaml:7:5: error[D110]: unknown key 'deduc'"));
  decorum_string_free(diags);

  CHECK(decorum_rules_load_file("/nonexistent/rules.yaml", &rules, &diags) == DECORUM_IO_ERROR);
  CHECK(contains(diags, "/nonexistent/rules.yaml"));
  decorum_string_free(diags);

  CHECK(decorum_rules_builtin(&rules) == DECORUM_OK);
  CHECK(strcmp(decorum_rules_name(rules), "property-customer-service") == 0);
  CHECK(decorum_rules_count(rules) > 10);
  decorum_rules_free(rules);
}

static void test_scoring(void) {
  decorum_rules* rules = NULL;
  decorum_scorer* a = NULL;
  decorum_scorer* b = NULL;
  decorum_scorer* all = NULL;
  decorum_record* rec = NULL;
  decorum_report* rep = NULL;
  char* reason = NULL;
  char* json = NULL;
  uint64_t dups = 99;
  const char* r1 = "{\"time\":\"2026-11-03T09:00:00+08:00\",\"employee\":\"E1\",\"name\":\"王芳\",\"kind\":\"phone_call\",\"rings\":5}";
  const char* r2 = "{\n  \"time\": \"2026-11-04T09:00\",\n  \"employee\": \"E1\",\n  \"kind\": \"phone_call\",\n  \"rings\": 6\n}";
  const char* bad = "{\"time\":\"2026-11-04T09:00\",\"employee\":\"E1\",\"kind\":\"phone_call\",\"rings\":\"four\"}";

  CHECK(decorum_rules_load_string("c.yaml", rulebook, strlen(rulebook), &rules, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_new(rules, NULL, 0, &a) == DECORUM_OK);
  CHECK(decorum_scorer_new(rules, "month", 0, &b) == DECORUM_OK);
  CHECK(decorum_scorer_new(rules, NULL, 0, &all) == DECORUM_OK);

  /* JSON records, pretty-printed ones too; a bad one is a rejection with its reason. */
  CHECK(decorum_scorer_add_json(a, r1, strlen(r1), "hr.jsonl", 1, &reason) == DECORUM_OK);
  CHECK(reason == NULL);
  CHECK(decorum_scorer_add_json(all, r1, strlen(r1), "hr.jsonl", 1, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_add_json(b, r2, strlen(r2), "hr.jsonl", 2, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_add_json(all, r2, strlen(r2), "hr.jsonl", 2, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_add_json(b, bad, strlen(bad), "hr.jsonl", 3, &reason) == DECORUM_REJECTED);
  CHECK(reason != NULL && strcmp(reason, "rings: expected int, got \"four\"") == 0);
  decorum_string_free(reason);
  CHECK(decorum_scorer_add_json(all, bad, strlen(bad), "hr.jsonl", 3, NULL) == DECORUM_REJECTED);
  CHECK(decorum_scorer_add_json(b, "", 0, NULL, 0, &reason) == DECORUM_REJECTED);
  CHECK(contains(reason, "empty record"));
  decorum_string_free(reason);
  CHECK(decorum_scorer_add_json(all, "", 0, NULL, 0, NULL) == DECORUM_REJECTED);

  /* Field by field; values as text, ints and bools; a bad value rejected when added. */
  CHECK(decorum_record_new(rules, &rec) == DECORUM_OK);
  CHECK(decorum_record_set(rec, "kind", "phone_call") == DECORUM_OK);
  CHECK(decorum_record_set(rec, "time", "2026-11-05T10:00") == DECORUM_OK);
  CHECK(decorum_record_set(rec, "employee", "E2") == DECORUM_OK);
  CHECK(decorum_record_set_int(rec, "rings", 4) == DECORUM_OK);
  CHECK(decorum_scorer_add_record(a, rec, "hr-db", 0, &reason) == DECORUM_OK);
  CHECK(decorum_scorer_add_record(all, rec, "hr-db", 0, NULL) == DECORUM_OK);
  CHECK(decorum_record_set_bool(rec, "rings", 1) == DECORUM_OK);
  CHECK(decorum_scorer_add_record(a, rec, "hr-db", 0, &reason) == DECORUM_REJECTED);
  CHECK(reason != NULL && strcmp(reason, "rings: expected int, got true") == 0);
  decorum_string_free(reason);
  CHECK(decorum_scorer_add_record(all, rec, "hr-db", 0, NULL) == DECORUM_REJECTED);
  CHECK(decorum_record_set_double(rec, "rings", 2.0) == DECORUM_OK);
  CHECK(decorum_record_set(rec, "opening", "您好") == DECORUM_OK);
  CHECK(decorum_scorer_add_record(b, rec, "hr-db", 3, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_add_record(all, rec, "hr-db", 3, NULL) == DECORUM_OK);
  CHECK(decorum_record_clear(rec) == DECORUM_OK);
  CHECK(decorum_scorer_add_record(b, rec, "hr-db", 4, &reason) == DECORUM_REJECTED);
  CHECK(contains(reason, "missing required field 'kind'"));
  decorum_string_free(reason);
  CHECK(decorum_scorer_add_record(all, rec, "hr-db", 4, NULL) == DECORUM_REJECTED);

  /* Merging two scorers gives what one scorer over everything gives. */
  CHECK(decorum_scorer_merge(a, b, &dups, NULL) == DECORUM_OK);
  CHECK(dups == 0);
  char* merged_json = NULL;
  char* all_json = NULL;
  CHECK(decorum_scorer_report(a, &rep) == DECORUM_OK);
  CHECK(decorum_report_json(rep, &merged_json) == DECORUM_OK);
  CHECK(decorum_report_records(rep) == 8);
  CHECK(decorum_report_scored(rep) == 4);
  CHECK(decorum_report_rejected(rep) == 4);
  CHECK(decorum_report_tally_count(rep) == 2);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "employee"), "E1") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "name"), "王芳") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "deductions"), "30") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "score"), "70") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "fines"), "3") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 1, "grade"), "") == 0);
  CHECK(decorum_report_tally_value(rep, 2, "employee") == NULL);
  CHECK(decorum_report_tally_value(rep, 0, "salary") == NULL);
  decorum_report_free(rep);
  CHECK(decorum_scorer_report(all, &rep) == DECORUM_OK);
  CHECK(decorum_report_json(rep, &all_json) == DECORUM_OK);
  CHECK(merged_json && all_json && strcmp(merged_json, all_json) == 0);
  CHECK(contains(all_json, "\"rejected\": [") || contains(all_json, "\"rejected\":["));
  char* text = NULL;
  CHECK(decorum_report_csv(rep, &text) == DECORUM_OK);
  CHECK(contains(text, "E1,王芳,2026-11,100,30,0,70,,3,2,"));
  decorum_string_free(text);
  CHECK(decorum_report_table(rep, &text) == DECORUM_OK);
  CHECK(contains(text, "rejected:"));
  decorum_string_free(text);
  decorum_report_free(rep);

  /* A partial result round-trips through text into another scorer. */
  decorum_scorer* again = NULL;
  CHECK(decorum_scorer_new(rules, NULL, 0, &again) == DECORUM_OK);
  CHECK(decorum_scorer_export_partial(all, &json) == DECORUM_OK);
  CHECK(contains(json, "\"decorum_partial\":2"));
  CHECK(decorum_scorer_import_partial(again, json, strlen(json), &dups, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_report(again, &rep) == DECORUM_OK);
  char* again_json = NULL;
  CHECK(decorum_report_json(rep, &again_json) == DECORUM_OK);
  CHECK(again_json && all_json && strcmp(again_json, all_json) == 0);
  decorum_report_free(rep);
  CHECK(decorum_scorer_import_partial(again, "{}", 2, NULL, &reason) == DECORUM_BAD_PARTIAL);
  CHECK(contains(reason, "not a decorum partial result"));
  decorum_string_free(reason);

  /* Another period kind does not merge. */
  decorum_scorer* weekly = NULL;
  CHECK(decorum_scorer_new(rules, "week", 0, &weekly) == DECORUM_OK);
  CHECK(decorum_scorer_merge(weekly, all, NULL, &reason) == DECORUM_MISMATCH);
  CHECK(contains(reason, "per month, not per week"));
  decorum_string_free(reason);

  decorum_string_free(json);
  decorum_string_free(merged_json);
  decorum_string_free(all_json);
  decorum_string_free(again_json);
  decorum_record_free(rec);
  decorum_scorer_free(weekly);
  decorum_scorer_free(again);
  decorum_scorer_free(a);
  decorum_scorer_free(b);
  decorum_scorer_free(all);
  decorum_rules_free(rules);
}

static void test_bad_arguments(void) {
  decorum_rules* rules = NULL;
  decorum_scorer* s = NULL;
  CHECK(decorum_rules_load_file(NULL, &rules, NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_rules_builtin(NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_scorer_new(NULL, NULL, 0, &s) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_rules_builtin(&rules) == DECORUM_OK);
  CHECK(decorum_scorer_new(rules, "fortnight", 0, &s) == DECORUM_BAD_ARGUMENT);
  CHECK(s == NULL);
  CHECK(decorum_scorer_add_json(NULL, "{}", 2, NULL, 0, NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_scorer_report(NULL, NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_report_json(NULL, NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_report_records(NULL) == 0);
  CHECK(strcmp(decorum_rules_name(NULL), "") == 0);
  CHECK(strcmp(decorum_status_name(DECORUM_REJECTED), "DECORUM_REJECTED") == 0);
  CHECK(strcmp(decorum_version(), "0.1.0") == 0);
  decorum_rules_free(NULL);
  decorum_scorer_free(NULL);
  decorum_report_free(NULL);
  decorum_record_free(NULL);
  decorum_string_free(NULL);
  decorum_rules_free(rules);
}

/* A deadline rule (SPEC §8.2) through the C API: the duty opened at 09:00 is due at 11:00;

 * as of the latest record (10:00) it is pending; as of 12:30 it is 1.5 hours late (-20 for E1),
 * and E2's duty (due 12:00) is 30 minutes late (-20). */
static void test_deadline(void) {
  static const char* text =
      "decorum: 1\nname: c-deadline\nrecords:\n  complaint: {ticket: text}\n  closed: {ticket: text}\n"
      "rules:\n  - id: close-2h\n    on: complaint\n    until: closed\n    match: ticket\n    within: 2h\n    deduct: 20\n";
  decorum_rules* rules = NULL;
  char* diags = NULL;
  CHECK(decorum_rules_load_string("d.yaml", text, strlen(text), &rules, &diags) == DECORUM_OK);
  decorum_string_free(diags);
  decorum_scorer* sc = NULL;
  CHECK(decorum_scorer_new(rules, NULL, 0, &sc) == DECORUM_OK);
  const char* open = "{\"time\":\"2026-11-03T09:00\",\"employee\":\"E1\",\"kind\":\"complaint\",\"ticket\":\"T1\"}";
  const char* other = "{\"time\":\"2026-11-03T10:00\",\"employee\":\"E2\",\"kind\":\"complaint\",\"ticket\":\"T2\"}";
  CHECK(decorum_scorer_add_json(sc, open, strlen(open), "log", 1, NULL) == DECORUM_OK);
  CHECK(decorum_scorer_add_json(sc, other, strlen(other), "log", 2, NULL) == DECORUM_OK);
  decorum_report* rep = NULL;
  char* json = NULL;
  CHECK(decorum_scorer_report(sc, &rep) == DECORUM_OK);
  CHECK(decorum_report_json(rep, &json) == DECORUM_OK);
  CHECK(contains(json, "\"as_of\": \"2026-11-03T10:00:00\""));
  CHECK(contains(json, "\"due\": \"2026-11-03T11:00:00\""));
  CHECK(contains(json, "\"deductions\": 0"));
  decorum_string_free(json);
  decorum_report_free(rep);
  CHECK(decorum_scorer_set_as_of(sc, "yesterday") == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_scorer_set_as_of(sc, "2026-11-03T12:30") == DECORUM_OK);
  CHECK(decorum_scorer_report(sc, &rep) == DECORUM_OK);
  CHECK(decorum_report_json(rep, &json) == DECORUM_OK);
  CHECK(contains(json, "\"as_of\": \"2026-11-03T12:30:00\""));
  CHECK(contains(json, "\"pending\": []"));
  CHECK(contains(json, "\"deductions\": 20"));
  decorum_string_free(json);
  decorum_report_free(rep);
  decorum_scorer_free(sc);
  decorum_rules_free(rules);
}

/* Appeals (SPEC §10) through the C API: a progressive rule [10, 20, 30] fires on R1, R2, R3;
 * voiding R2 prices R3 as the 2nd occurrence, so E1 loses 10 + 20 = 30, not 60. */
static void test_appeals(void) {
  static const char* text =
      "decorum: 1\nname: c-appeals\nversion: \"7\"\nrecords:\n  call: {rings: int}\n"
      "rules:\n  - id: rings\n    on: call\n    when: rings > 3\n    deduct: [10, 20, 30]\n";
  decorum_rules* rules = NULL;
  char* diags = NULL;
  CHECK(decorum_rules_load_string("a.yaml", text, strlen(text), &rules, &diags) == DECORUM_OK);
  decorum_string_free(diags);
  CHECK(strcmp(decorum_rules_version(rules), "7") == 0);
  CHECK(strlen(decorum_rules_sha256(rules)) == 64);
  decorum_scorer* sc = NULL;
  CHECK(decorum_scorer_new(rules, NULL, 1, &sc) == DECORUM_OK);
  const char* bad = "{\"rule\":\"rings\",\"record\":\"R2\",\"decision\":\"drop\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n";
  CHECK(decorum_scorer_set_appeals(sc, "appeals.jsonl", bad, strlen(bad), &diags) == DECORUM_INVALID_APPEALS);
  CHECK(contains(diags, "appeals.jsonl:1:1: error[D503]: unknown decision 'drop'"));
  decorum_string_free(diags);
  const char* good = "rule,record,decision,reviewer,reason\nrings,R2,void,HR,miscounted\n";
  CHECK(decorum_scorer_set_appeals(sc, "appeals.txt", good, strlen(good), NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_scorer_set_appeals(sc, "appeals.csv", good, strlen(good), &diags) == DECORUM_OK);
  CHECK(diags == NULL);
  for (int i = 1; i <= 3; ++i) {
    char line[160];
    snprintf(line, sizeof line, "{\"id\":\"R%d\",\"time\":\"2026-11-0%dT09:00\",\"employee\":\"E1\",\"kind\":\"call\",\"rings\":5}", i, i);
    CHECK(decorum_scorer_add_json(sc, line, strlen(line), "log", (uint64_t)i, NULL) == DECORUM_OK);
  }
  CHECK(decorum_scorer_set_appeals(sc, "appeals.csv", good, strlen(good), NULL) == DECORUM_BAD_ARGUMENT);
  decorum_report* rep = NULL;
  CHECK(decorum_scorer_report(sc, &rep) == DECORUM_OK);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "deductions"), "30") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "findings"), "2") == 0);
  CHECK(strcmp(decorum_report_tally_value(rep, 0, "voided"), "1") == 0);
  uint64_t applied = 0, voided = 0, upheld = 9, unmatched = 9;
  CHECK(decorum_report_appeals(rep, &applied, &voided, &upheld, &unmatched) == DECORUM_OK);
  CHECK(applied == 1 && voided == 1 && upheld == 0 && unmatched == 0);
  char* json = NULL;
  CHECK(decorum_report_json(rep, &json) == DECORUM_OK);
  CHECK(contains(json, "\"voided\": {\"reviewer\": \"HR\", \"reason\": \"miscounted\", \"source\": \"appeals.csv\", \"line\": 2}"));
  decorum_string_free(json);
  decorum_report_free(rep);
  decorum_scorer_free(sc);
  CHECK(decorum_report_appeals(NULL, NULL, NULL, NULL, NULL) == DECORUM_BAD_ARGUMENT);
  CHECK(decorum_rules_version(NULL) == NULL);
  decorum_rules_free(rules);
}

int main(void) {
  test_rules();
  test_scoring();
  test_deadline();
  test_appeals();
  test_bad_arguments();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
