// A C face over RE2 for Swift: compile, match the whole text, free.
#include "CRE2.h"

#include <re2/re2.h>

#include <cstring>
#include <string>

struct CRE2Pattern {
  re2::RE2 regex;
  explicit CRE2Pattern(const re2::StringPiece &pattern, const re2::RE2::Options &options) : regex(pattern, options) {}
};

extern "C" CRE2Pattern *cre2_compile(const char *pattern, size_t length, char *error, size_t errorCapacity) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  auto *compiled = new CRE2Pattern(re2::StringPiece(pattern, length), options);
  if (compiled->regex.ok()) return compiled;
  if (errorCapacity > 0) {
    const std::string &reason = compiled->regex.error();
    size_t count = reason.size() < errorCapacity - 1 ? reason.size() : errorCapacity - 1;
    std::memcpy(error, reason.data(), count);
    error[count] = '\0';
  }
  delete compiled;
  return nullptr;
}

extern "C" bool cre2_full_match(const CRE2Pattern *pattern, const char *text, size_t length) {
  return re2::RE2::FullMatch(re2::StringPiece(text, length), pattern->regex);
}

extern "C" bool cre2_partial_match(const CRE2Pattern *pattern, const char *text, size_t length) {
  return re2::RE2::PartialMatch(re2::StringPiece(text, length), pattern->regex);
}

extern "C" void cre2_free(CRE2Pattern *pattern) { delete pattern; }
