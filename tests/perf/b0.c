#define _POSIX_C_SOURCE 199309L
/* B0/B1 from C: odeme_call on a signed iyzico.create_payment against odeme-sim, linked to the
 * installed library (scripts/install-c), speaking the same protocol as `perf_calls serve` so that
 * tests/perf/bench.py interleaves its blocks with the other contenders'.
 *
 *   b0 CONFIG_FILE REQUEST_FILE
 *
 * CONFIG_FILE holds the client's JSON configuration; REQUEST_FILE a JSON request whose
 * conversationId is "@CONV@" (replaced by a fresh one per call: the texts are made before the
 * clocks start, as the Rust contenders' are). Reads `MODE N` lines on stdin (MODE is `odeme-c`)
 * and answers each with one line {"ns": [...], "cpu_ns": [...]}: the wall time (CLOCK_MONOTONIC)
 * and the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID) of each of N calls, or
 * {"error": "..."}. The first block is preceded by a 200-call warm-up, as in perf_calls. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "odeme.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static uint64_t now_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) {
        perror("clock_gettime");
        exit(1);
    }
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The request template with "@CONV@" replaced by `conv` (malloc'd). */
static char *request_text(const char *tmpl, const char *conv) {
    const char *at = strstr(tmpl, "@CONV@");
    if (!at) return NULL;
    size_t head = (size_t)(at - tmpl), cl = strlen(conv), tail = strlen(at + 6);
    char *s = malloc(head + cl + tail + 1);
    if (!s) return NULL;
    memcpy(s, tmpl, head);
    memcpy(s + head, conv, cl);
    memcpy(s + head + cl, at + 6, tail + 1);
    return s;
}

static unsigned long seq = 0;

/* `calls` calls; their times into wall/cpu (when not NULL). 0 on success, else prints an error
 * line and returns -1. */
static int run(const OdemeClient *client, const char *tmpl, size_t calls, uint64_t *wall, uint64_t *cpu) {
    char **texts = calloc(calls, sizeof *texts);
    char conv[64];
    int rc = 0;
    for (size_t i = 0; i < calls; i++) {
        snprintf(conv, sizeof conv, "b0-c-%ld-%lu", (long)getpid(), seq++);
        texts[i] = request_text(tmpl, conv);
        if (!texts[i]) {
            printf("{\"error\": \"the request file has no @CONV@\"}\n");
            rc = -1;
            goto out;
        }
    }
    for (size_t i = 0; i < calls; i++) {
        char *reply = NULL;
        OdemeError *err = NULL;
        uint64_t c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), w0 = now_ns(CLOCK_MONOTONIC);
        OdemeStatus st = odeme_call(client, "iyzico.create_payment", texts[i], &reply, &err);
        uint64_t w1 = now_ns(CLOCK_MONOTONIC), c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
        if (wall) wall[i] = w1 - w0;
        if (cpu) cpu[i] = c1 - c0;
        int ok = st == ODEME_STATUS_OK && strstr(reply, "\"outcome\":{\"type\":\"completed\"") != NULL;
        if (!ok) {
            printf("{\"error\": \"odeme_call: status %d, not a completed payment\"}\n", (int)st);
            odeme_string_free(reply);
            odeme_error_free(err);
            rc = -1;
            goto out;
        }
        odeme_string_free(reply); /* after the clocks, as the Rust contenders drop theirs */
    }
out:
    for (size_t i = 0; i < calls; i++) free(texts[i]);
    free(texts);
    return rc;
}

static void print_list(const char *name, const uint64_t *xs, size_t n) {
    printf("\"%s\": [", name);
    for (size_t i = 0; i < n; i++) printf(i ? ",%llu" : "%llu", (unsigned long long)xs[i]);
    printf("]");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: b0 CONFIG_FILE REQUEST_FILE\n");
        return 2;
    }
    char *config = slurp(argv[1]), *tmpl = slurp(argv[2]);
    if (!config || !tmpl) {
        fprintf(stderr, "b0: cannot read %s or %s\n", argv[1], argv[2]);
        return 2;
    }
    OdemeClient *client = NULL;
    OdemeError *err = NULL;
    if (odeme_client_new(config, &client, &err) != ODEME_STATUS_OK) {
        fprintf(stderr, "b0: odeme_client_new failed\n");
        odeme_error_free(err);
        return 1;
    }
    int warm = 0;
    char line[128], mode[64];
    size_t calls;
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "%63s %zu", mode, &calls) != 2 || strcmp(mode, "odeme-c") != 0 || calls == 0) {
            printf("{\"error\": \"expected 'odeme-c N'\"}\n");
        } else if (!warm && run(client, tmpl, 200, NULL, NULL) != 0) {
            /* the error line is out */
        } else {
            warm = 1;
            uint64_t *wall = malloc(calls * sizeof *wall), *cpu = malloc(calls * sizeof *cpu);
            if (run(client, tmpl, calls, wall, cpu) == 0) {
                printf("{");
                print_list("ns", wall, calls);
                printf(", ");
                print_list("cpu_ns", cpu, calls);
                printf("}\n");
            }
            free(wall);
            free(cpu);
        }
        fflush(stdout);
    }
    odeme_client_free(client);
    free(config);
    free(tmpl);
    return 0;
}
