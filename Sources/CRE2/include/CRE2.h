#ifndef CRE2_H
#define CRE2_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled RE2 pattern (Go's regular-expression syntax and semantics).
typedef struct CRE2Pattern CRE2Pattern;

/// Compiles `pattern` (UTF-8, `length` bytes; NULL when empty). Returns NULL and writes RE2's
/// reason to `error` (up to `errorCapacity` bytes, NUL-terminated) when the
/// pattern is not valid.
CRE2Pattern *_Nullable cre2_compile(const char *_Nullable pattern, size_t length, char *_Nonnull error,
                                    size_t errorCapacity);

/// Whether the whole of `text` (NULL when empty) matches.
bool cre2_full_match(const CRE2Pattern *_Nonnull pattern, const char *_Nullable text, size_t length);

/// Whether some part of `text` (NULL when empty) matches, as Go's MatchString.
bool cre2_partial_match(const CRE2Pattern *_Nonnull pattern, const char *_Nullable text, size_t length);

void cre2_free(CRE2Pattern *_Nullable pattern);

#ifdef __cplusplus
}
#endif

#endif
