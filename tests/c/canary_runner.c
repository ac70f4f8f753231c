/* scripts/canary-log's C runner: an odeme_client_set_log callback at "debug" appends every event
 * (the JSON text it received) to $ODEME_CANARY_EVENTS; calls come one a line on stdin
 * ("normal|short TAB operation TAB request-json") and each answer is one line ("ok TAB
 * response-json" or "err TAB kind TAB message"). Built by scripts/canary. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odeme.h"

static void to_file(void *userdata, const char *event_json) {
    FILE *f = (FILE *)userdata;
    fputs(event_json, f);
    fputc('\n', f);
    fflush(f);
}

static OdemeClient *client_from(const char *var, FILE *events) {
    const char *config = getenv(var);
    OdemeClient *client = NULL;
    OdemeError *err = NULL;
    if (!config || odeme_client_new(config, &client, &err) != ODEME_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", var, err ? odeme_error_message(err) : "not set");
        odeme_error_free(err);
        exit(2);
    }
    if (odeme_client_set_log(client, "debug", to_file, events) != ODEME_STATUS_OK) {
        fprintf(stderr, "odeme_client_set_log failed\n");
        exit(2);
    }
    return client;
}

int main(void) {
    const char *path = getenv("ODEME_CANARY_EVENTS");
    FILE *events = path ? fopen(path, "a") : NULL;
    if (!events) {
        fprintf(stderr, "set ODEME_CANARY_EVENTS to a writable file\n");
        return 2;
    }
    OdemeClient *normal = client_from("ODEME_CANARY_CONFIG", events);
    OdemeClient *shortc = client_from("ODEME_CANARY_SHORT_CONFIG", events);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[n - 1] = '\0';
        char *op = strchr(line, '\t');
        char *req = op ? strchr(op + 1, '\t') : NULL;
        if (!req) {
            fprintf(stderr, "bad line: %s\n", line);
            return 2;
        }
        *op++ = '\0';
        *req++ = '\0';
        char *out = NULL;
        OdemeError *err = NULL;
        OdemeStatus st = odeme_call(strcmp(line, "short") == 0 ? shortc : normal, op, req, &out, &err);
        if (st == ODEME_STATUS_OK) {
            for (char *p = out; *p; p++)
                if (*p == '\n') *p = ' ';
            printf("ok\t%s\n", out);
        } else {
            printf("err\t%s\t", odeme_error_kind(err));
            for (const char *p = odeme_error_message(err); *p; p++) putchar(*p == '\n' ? ' ' : *p);
            putchar('\n');
        }
        fflush(stdout);
        odeme_string_free(out);
        odeme_error_free(err);
    }
    free(line);
    odeme_client_free(normal);
    odeme_client_free(shortc);
    fclose(events);
    return 0;
}
