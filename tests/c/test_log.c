/* odeme_client_set_log against the simulator (README, "Logs"): the events of a payment, each
 * attempt of a retried read, a declined card's error kind, redacted bodies at debug, a slow
 * callback that changes nothing, a journal's intent and outcome, and the log switched while
 * other threads call. Run by
 * scripts/test-c under valgrind. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "odeme.h"

/* Everything the callback received, one event per line. */
typedef struct {
    pthread_mutex_t lock;
    char text[65536];
    size_t len;
    int count;
    long sleep_ms;
} Sink;

static void collect(void *userdata, const char *event_json) {
    Sink *s = (Sink *)userdata;
    if (s->sleep_ms > 0) {
        struct timespec ts = {s->sleep_ms / 1000, (s->sleep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&s->lock);
    size_t n = strlen(event_json);
    if (s->len + n + 2 < sizeof s->text) {
        memcpy(s->text + s->len, event_json, n);
        s->len += n;
        s->text[s->len++] = '\n';
        s->text[s->len] = '\0';
    }
    s->count++;
    pthread_mutex_unlock(&s->lock);
}

static void reset(Sink *s) {
    pthread_mutex_lock(&s->lock);
    s->len = 0;
    s->text[0] = '\0';
    s->count = 0;
    pthread_mutex_unlock(&s->lock);
}

static int occurrences(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static const char *IYZICO_FMT =
    "{\"locale\":\"tr\",\"conversationId\":\"%s\",\"price\":\"1.0\",\"paidPrice\":\"1.2\","
    "\"currency\":\"TRY\",\"installment\":1,\"basketId\":\"B67832\",\"paymentChannel\":\"WEB\","
    "\"paymentGroup\":\"PRODUCT\",\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"%s\","
    "\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"947\"},\"buyer\":{\"id\":\"BY789\","
    "\"name\":\"John\",\"surname\":\"Doe\",\"identityNumber\":\"74300864791\",\"email\":\"email@email.com\","
    "\"registrationAddress\":\"Nidakule\",\"ip\":\"85.34.78.112\",\"city\":\"Istanbul\","
    "\"country\":\"Turkey\"},\"shippingAddress\":{\"contactName\":\"Jane Doe\",\"city\":\"Istanbul\","
    "\"country\":\"Turkey\",\"address\":\"Nidakule\"},\"billingAddress\":{\"contactName\":\"Jane Doe\","
    "\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"},\"basketItems\":["
    "{\"id\":\"BI101\",\"name\":\"Pen\",\"category1\":\"C\",\"itemType\":\"PHYSICAL\",\"price\":\"1.0\"}]}";

static OdemeStatus pay(OdemeClient *client, const char *conv, const char *card) {
    char req[2048];
    char *out = NULL;
    snprintf(req, sizeof req, IYZICO_FMT, conv, card);
    OdemeStatus st = odeme_call(client, "iyzico.create_payment", req, &out, NULL);
    odeme_string_free(out);
    return st;
}

static Sink sink;

/* ---- the log switched while other threads call ------------------------------------------- */

/* A sink that knows whether it is retired: set right after odeme_client_set_log installed
 * another one, cleared before it is installed again. The header promises that once
 * odeme_client_set_log returns, the previous callback is never called again (it waits for
 * deliveries in progress), so a retired sink that is called is a broken promise. */
typedef struct {
    pthread_mutex_t lock;
    int retired;
    int events;
    int late;  /* called while retired */
    int torn;  /* not one JSON object */
} Switched;

static void switched_collect(void *userdata, const char *event_json) {
    Switched *s = (Switched *)userdata;
    size_t n = strlen(event_json);
    pthread_mutex_lock(&s->lock);
    s->events++;
    if (s->retired) s->late++;
    if (n < 2 || event_json[0] != '{' || event_json[n - 1] != '}') s->torn++;
    pthread_mutex_unlock(&s->lock);
}

static int switched_events(Switched *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->events;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static void set_retired(Switched *s, int retired) {
    pthread_mutex_lock(&s->lock);
    s->retired = retired;
    pthread_mutex_unlock(&s->lock);
}

enum { WORKERS = 4, MIN_CALLS = 5, MIN_SWITCHES = 100 };

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int switching;      /* the switcher has made its first switch */
    int stop;           /* the switcher is done: workers finish their call and stop */
    int calls[WORKERS]; /* finished calls per worker */
    int total_calls;
    int failed_calls;
    int failed_status;  /* the status of the first failed call */
} race = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, {0}, 0, 0, 0};

static OdemeClient *shared_client;

/* Pays until the switcher stops, starting only once it switches: every call overlaps the
 * switching (no timing involved: both loops wait for each other's progress). */
static void *worker(void *arg) {
    long id = (long)(size_t)arg;
    char conv[64];
    pthread_mutex_lock(&race.lock);
    while (!race.switching) pthread_cond_wait(&race.changed, &race.lock);
    pthread_mutex_unlock(&race.lock);
    for (int i = 0;; i++) {
        pthread_mutex_lock(&race.lock);
        int stop = race.stop;
        pthread_mutex_unlock(&race.lock);
        if (stop) break;
        snprintf(conv, sizeof conv, "c-log-race-%d-%ld-%d", getpid(), id, i);
        OdemeStatus st = pay(shared_client, conv, "5528790000000008");
        pthread_mutex_lock(&race.lock);
        race.calls[id]++;
        race.total_calls++;
        if (st != ODEME_STATUS_OK && race.failed_calls++ == 0) race.failed_status = (int)st;
        pthread_cond_broadcast(&race.changed);
        pthread_mutex_unlock(&race.lock);
    }
    return NULL;
}

/* True once every worker finished MIN_CALLS calls. */
static int workers_have_called(void) {
    pthread_mutex_lock(&race.lock);
    int done = 1;
    for (int t = 0; t < WORKERS; t++) done &= race.calls[t] >= MIN_CALLS;
    pthread_mutex_unlock(&race.lock);
    return done;
}

/* Waits until some worker finished a call after `seen` calls; returns the new count. */
static int wait_for_a_call(int seen) {
    pthread_mutex_lock(&race.lock);
    while (race.total_calls == seen) pthread_cond_wait(&race.changed, &race.lock);
    int now = race.total_calls;
    pthread_mutex_unlock(&race.lock);
    return now;
}

/* Switches between sink a (info), off, sink b (debug), off, ... while the workers pay, until it
 * has switched MIN_SWITCHES times, both sinks received events and every worker made MIN_CALLS
 * calls. After installing a sink it waits for a call to finish, so the calls progress even where
 * threads run one at a time (valgrind) and the switches stay spread over the calls.
 * Returns the number of switches. */
static long switch_while_calling(OdemeClient *client, Switched *a, Switched *b) {
    Switched *current = NULL;
    long switches = 0;
    int seen = 0;
    for (;;) {
        int step = (int)(switches % 4);
        Switched *next = step == 0 ? a : step == 2 ? b : NULL;
        if (next) set_retired(next, 0);
        OdemeStatus st = next ? odeme_client_set_log(client, next == a ? "info" : "debug", switched_collect, next)
                              : odeme_client_set_log(client, "off", NULL, NULL);
        if (st != ODEME_STATUS_OK) return -1;
        if (current) set_retired(current, 1);
        current = next;
        switches++;
        if (switches == 1) {
            pthread_mutex_lock(&race.lock);
            race.switching = 1;
            pthread_cond_broadcast(&race.changed);
            pthread_mutex_unlock(&race.lock);
        }
        if (switches >= MIN_SWITCHES && step == 3 && switched_events(a) > 0 && switched_events(b) > 0 &&
            workers_have_called())
            break;
        /* With a sink installed (a or b), wait for a call to finish: that call's call.end goes
         * to the sink, and the calls progress even where threads run one at a time. */
        if (next) seen = wait_for_a_call(seen);
    }
    pthread_mutex_lock(&race.lock);
    race.stop = 1;
    pthread_mutex_unlock(&race.lock);
    return switches;
}

int main(void) {
    const char *sim_url = getenv("ODEME_SIM_URL");
    if (!sim_url) {
        fprintf(stderr, "set ODEME_SIM_URL to the simulator's base URL\n");
        return 2;
    }
    char config[1024];
    snprintf(config, sizeof config,
             "{\"allow_http\":true,\"timeout_ms\":120000,"
             "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"%s\"}}",
             sim_url);
    OdemeClient *client = NULL;
    if (odeme_client_new(config, &client, NULL) != ODEME_STATUS_OK) {
        fprintf(stderr, "client_new failed\n");
        return 1;
    }
    pthread_mutex_init(&sink.lock, NULL);
    char conv[64];

    CHECK(odeme_client_set_log(NULL, "info", collect, &sink) == ODEME_STATUS_INVALID_ARGUMENT, "NULL client");
    CHECK(odeme_client_set_log(client, "trace", collect, &sink) == ODEME_STATUS_INVALID_ARGUMENT, "unknown level");
    CHECK(odeme_client_set_log(client, NULL, collect, &sink) == ODEME_STATUS_INVALID_ARGUMENT, "NULL level");

    /* A payment at info. */
    CHECK(odeme_client_set_log(client, "info", collect, &sink) == ODEME_STATUS_OK, "set_log info");
    snprintf(conv, sizeof conv, "c-log-pay-%d", getpid());
    CHECK(pay(client, conv, "5528790000000008") == ODEME_STATUS_OK, "payment");
    CHECK(sink.count == 3, "three events");
    CHECK(strstr(sink.text, "\"event\":\"call.start\"") != NULL, "call.start");
    CHECK(strstr(sink.text, "\"event\":\"call.attempt\"") != NULL, "call.attempt");
    CHECK(strstr(sink.text, "\"method\":\"POST\",\"path\":\"/payment/auth\",\"attempt\":1,\"http_status\":200") != NULL,
          "attempt fields");
    CHECK(strstr(sink.text, "\"outcome\":\"completed\"") != NULL, "call.end outcome");
    CHECK(occurrences(sink.text, "\"operation\":\"iyzico.create_payment\",\"provider\":\"iyzico\"") == 3, "operation, provider");
    CHECK(occurrences(sink.text, conv) == 3, "the reference on every event");
    CHECK(strstr(sink.text, "request_body") == NULL, "no bodies at info");

    /* A retried read: the first attempt is answered 503 (sim:flaky), the second 200. */
    snprintf(conv, sizeof conv, "sim:flaky-c-%d", getpid());
    CHECK(pay(client, conv, "5528790000000008") == ODEME_STATUS_OK, "payment to look up");
    reset(&sink);
    char req[256];
    char *out = NULL;
    snprintf(req, sizeof req, "{\"paymentConversationId\":\"%s\"}", conv);
    CHECK(odeme_call(client, "iyzico.payment_details", req, &out, NULL) == ODEME_STATUS_OK, "retried read");
    odeme_string_free(out);
    CHECK(occurrences(sink.text, "\"event\":\"call.attempt\"") == 2, "two attempts");
    CHECK(strstr(sink.text, "\"attempt\":1,\"http_status\":503") != NULL, "attempt 1: 503");
    CHECK(strstr(sink.text, "\"attempt\":2,\"http_status\":200") != NULL, "attempt 2: 200");

    /* A declined card. */
    reset(&sink);
    snprintf(conv, sizeof conv, "c-log-declined-%d", getpid());
    CHECK(pay(client, conv, "4111111111111129") == ODEME_STATUS_DECLINED, "declined");
    CHECK(strstr(sink.text, "\"level\":\"warn\",\"event\":\"call.end\"") != NULL, "call.end at warn");
    CHECK(strstr(sink.text, "\"error_kind\":\"declined\"") != NULL, "error kind");

    /* Debug: the bodies, redacted. */
    CHECK(odeme_client_set_log(client, "debug", collect, &sink) == ODEME_STATUS_OK, "set_log debug");
    reset(&sink);
    snprintf(conv, sizeof conv, "c-log-debug-%d", getpid());
    CHECK(pay(client, conv, "4766620000000001") == ODEME_STATUS_OK, "payment at debug");
    CHECK(strstr(sink.text, "\"request_body\":") != NULL && strstr(sink.text, "\"response_body\":") != NULL, "bodies");
    CHECK(strstr(sink.text, "476662******0001") != NULL, "card masked to first 6 + last 4");
    CHECK(strstr(sink.text, "4766620000000001") == NULL, "no card number");
    CHECK(strstr(sink.text, "\"947\"") == NULL, "no CVC");
    CHECK(strstr(sink.text, "sim-iyzico") == NULL, "no key");
    CHECK(strstr(sink.text, "signature") == NULL, "no signature");

    /* A slow callback: the same result, later. */
    sink.sleep_ms = 50;
    reset(&sink);
    snprintf(conv, sizeof conv, "c-log-slow-%d", getpid());
    CHECK(pay(client, conv, "5528790000000008") == ODEME_STATUS_OK, "payment with a slow callback");
    snprintf(conv, sizeof conv, "c-log-slow-d-%d", getpid());
    CHECK(pay(client, conv, "4111111111111129") == ODEME_STATUS_DECLINED, "declined with a slow callback");
    CHECK(sink.count == 6, "every event delivered");
    sink.sleep_ms = 0;

    /* With a journal: its intent and outcome between the call's events. */
    {
        char dir[] = "/tmp/odeme-c-log-journal-XXXXXX";
        CHECK(mkdtemp(dir) != NULL, "mkdtemp");
        char jconfig[1536];
        snprintf(jconfig, sizeof jconfig,
                 "{\"allow_http\":true,\"timeout_ms\":30000,\"journal\":{\"path\":\"%s/j.sqlite3\"},"
                 "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"%s\"}}",
                 dir, sim_url);
        OdemeClient *journaled = NULL;
        CHECK(odeme_client_new(jconfig, &journaled, NULL) == ODEME_STATUS_OK, "client with a journal");
        CHECK(odeme_client_set_log(journaled, "info", collect, &sink) == ODEME_STATUS_OK, "set_log, journal");
        reset(&sink);
        snprintf(conv, sizeof conv, "c-log-journal-%d", getpid());
        CHECK(pay(journaled, conv, "5528790000000008") == ODEME_STATUS_OK, "payment with a journal");
        const char *order[] = {"call.start", "journal.intent", "call.attempt", "journal.outcome", "call.end"};
        const char *at = sink.text;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            char needle[64];
            snprintf(needle, sizeof needle, "\"event\":\"%s\"", order[i]);
            at = at ? strstr(at, needle) : NULL;
            CHECK(at != NULL, order[i]);
        }
        CHECK(sink.count == 5, "five events with a journal");
        CHECK(occurrences(sink.text, conv) == 5, "the reference on every event");
        CHECK(strstr(sink.text, "\"event\":\"journal.outcome\",\"operation\":\"iyzico.create_payment\"") != NULL &&
                  occurrences(sink.text, "\"outcome\":\"completed\"") == 2,
              "journal.outcome and call.end: completed");
        reset(&sink);
        snprintf(conv, sizeof conv, "c-log-journal-d-%d", getpid());
        CHECK(pay(journaled, conv, "4111111111111129") == ODEME_STATUS_DECLINED, "declined with a journal");
        CHECK(occurrences(sink.text, "\"error_kind\":\"declined\"") == 2, "journal.outcome and call.end: declined");
        odeme_client_free(journaled);
        char path[128];
        snprintf(path, sizeof path, "%s/j.sqlite3", dir);
        unlink(path);
        rmdir(dir);
    }

    /* Off: nothing more. */
    CHECK(odeme_client_set_log(client, "off", collect, &sink) == ODEME_STATUS_OK, "off");
    reset(&sink);
    snprintf(conv, sizeof conv, "c-log-off-%d", getpid());
    CHECK(pay(client, conv, "5528790000000008") == ODEME_STATUS_OK, "payment, log off");
    CHECK(sink.count == 0, "no events when off");

    /* Switched while four threads call: the switching and the calls overlap by construction
     * (each loop runs until the other has made progress); every call succeeds, every event is
     * whole, and a sink replaced by odeme_client_set_log is never called after it returned. */
    shared_client = client;
    Switched a = {PTHREAD_MUTEX_INITIALIZER, 1, 0, 0, 0}, b = {PTHREAD_MUTEX_INITIALIZER, 1, 0, 0, 0};
    pthread_t threads[WORKERS];
    for (long t = 0; t < WORKERS; t++) pthread_create(&threads[t], NULL, worker, (void *)(size_t)t);
    long switches = switch_while_calling(client, &a, &b);
    for (int t = 0; t < WORKERS; t++) pthread_join(threads[t], NULL);
    CHECK(switches >= MIN_SWITCHES, "odeme_client_set_log succeeded every time while threads called");
    int calls = 0;
    for (int t = 0; t < WORKERS; t++) calls += race.calls[t];
    CHECK(calls >= WORKERS * MIN_CALLS && race.failed_calls == 0, "every payment made while switching succeeded");
    if (race.failed_calls) printf("%d of %d payments failed; the first with status %d\n", race.failed_calls, calls, race.failed_status);
    CHECK(a.events > 0 && b.events > 0, "both callbacks received events");
    CHECK(a.late == 0 && b.late == 0, "a replaced callback is never called after odeme_client_set_log returned");
    CHECK(a.torn == 0 && b.torn == 0, "every event is one JSON object");
    printf("switched the log %ld times during %d payments (%d + %d events)\n", switches, calls, a.events, b.events);
    CHECK(odeme_client_set_log(client, "off", NULL, NULL) == ODEME_STATUS_OK, "off again");

    odeme_client_free(client);
    pthread_mutex_destroy(&sink.lock);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
