#define _POSIX_C_SOURCE 199309L
/* B5 from C: 100,000 no-I/O calls of odeme_paymes_hash; ns per call and resident memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "odeme.h"

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    }
    if (f) fclose(f);
    return kib;
}

int main(void) {
    const char *parts[] = {"123456789", "1050.00", "TRY", "\xc3\x9cr\xc3\xbcn \xc4\xb0smi", "Mehmet Y\xc4\xb1lmaz",
                           "05555555555", "email@example.com", "\xc3\x96rnek adres bilgisi"};
    const int n = 100000;
    long rss_1000 = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) {
        char *out = NULL;
        if (odeme_paymes_hash(parts, 8, "111111111", &out, NULL) != ODEME_STATUS_OK) return 1;
        odeme_string_free(out);
        if (i == 999) rss_1000 = rss_kib();
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
    printf("{\"lang\":\"C\",\"ns_per_call\":%.1f,\"rss_after_1000_kib\":%ld,\"rss_after_100000_kib\":%ld}\n", ns, rss_1000, rss_kib());
    return 0;
}
