/*
 * What every C test program shares: CHECK(cond, what) counts a pass, or a failure printed with
 * its place; the programs end with printf("%d passed, %d failed\n", passed, failed). And
 * json_string, which reads "key":"value" out of a JSON text without a JSON library.
 */
#ifndef ODEME_TEST_CHECK_H
#define ODEME_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed = 0, failed = 0;

#define CHECK(cond, what)                                                      \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what);    \
        }                                                                      \
    } while (0)

/* The value of "key":"..." in a JSON text (no escapes in the values read here); 0, or -1. */
static inline int json_string(const char *json, const char *key, char *out, size_t n) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = json ? strstr(json, pattern) : NULL;
    if (!p) return -1;
    p += strlen(pattern);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= n) return -1;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = 0;
    return 0;
}

#endif /* ODEME_TEST_CHECK_H */
