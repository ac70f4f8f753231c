/*
 * The payment journal from C at a native path (C:\... under Windows), across a killed process,
 * and refunds it bounds: run under Wine by scripts/test-windows, and as well on POSIX.
 *
 *  1. a payment and its refunds through a journal: 0.50 of 1.20 is partially_refunded, 0.80
 *     more is refused before any I/O (field price: 0.70 remains), 0.70 is refunded;
 *  2. a child process (this program again) starts a payment that the simulator holds
 *     (sim:delay), and is killed (TerminateProcess / SIGKILL) once the simulator has booked it;
 *  3. "restart": a new client on the same file lists the row as `sending`; the resend is refused
 *     before any I/O (its client points at a port where nothing listens: I/O would be a transport
 *     error); reconcile() records what the simulator booked (`done`, resolved `paid`); the resend
 *     is still refused; the simulator saw the payment exactly once;
 *  4. a key read from a Windows text file, CRLF and all, is a config error naming the key.
 *
 * Usage: ODEME_SIM_URL=http://127.0.0.1:PORT test_journal DIR
 *   DIR must not exist; it is created and holds DIR<sep>journal.sqlite3 (native separators).
 *   The simulator must hold sim:delay replies far longer than the test runs
 *   (odeme-sim --delay-ms 3600000): the child is killed while it waits, however late.
 * Prints "N passed, N failed"; exits non-zero on any failure.
 */
#include "compat.h"

#include "odeme.h"
#include "check.h"

/* Copies s into out as the inside of a JSON string (backslashes and quotes escaped). */
static int json_escape(const char *s, char *out, size_t n) {
    size_t o = 0;
    for (; *s; s++) {
        if (*s == '\\' || *s == '"') {
            if (o + 1 >= n) return -1;
            out[o++] = '\\';
        }
        if (o + 1 >= n) return -1;
        out[o++] = *s;
    }
    out[o] = 0;
    return 0;
}

static const char *PAYMENT =
    "{\"locale\":\"tr\",\"conversationId\":\"%s\",\"price\":\"1.2\",\"paidPrice\":\"1.2\","
    "\"currency\":\"TRY\",\"installment\":1,\"basketId\":\"B1\",\"paymentChannel\":\"WEB\","
    "\"paymentGroup\":\"PRODUCT\",\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"5528790000000008\","
    "\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"123\"},\"buyer\":{\"id\":\"BY1\","
    "\"name\":\"John\",\"surname\":\"Doe\",\"identityNumber\":\"74300864791\",\"email\":\"email@email.com\","
    "\"registrationAddress\":\"Nidakule\",\"ip\":\"85.34.78.112\",\"city\":\"Istanbul\",\"country\":\"Turkey\"},"
    "\"billingAddress\":{\"contactName\":\"Jane Doe\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"},"
    "\"basketItems\":[{\"id\":\"BI1\",\"name\":\"%s\",\"category1\":\"C\",\"itemType\":\"VIRTUAL\",\"price\":\"1.2\"}]}";

static char config[4096];      /* the simulator, the journal */
static char dead_config[4096]; /* the journal, iyzico at a port where nothing listens */

static OdemeClient *client_from(const char *json) {
    OdemeClient *client = NULL;
    OdemeError *error = NULL;
    if (odeme_client_new(json, &client, &error) != ODEME_STATUS_OK) {
        fprintf(stderr, "client: %s\n", odeme_error_message(error));
        odeme_error_free(error);
        return NULL;
    }
    return client;
}

/* One call; *out gets the response, or the error JSON. */
static OdemeStatus call(const OdemeClient *client, const char *op, const char *req, char **out) {
    char *response = NULL;
    OdemeError *error = NULL;
    OdemeStatus st = odeme_call(client, op, req, &response, &error);
    *out = st == ODEME_STATUS_OK ? response : odeme_error_json(error);
    odeme_error_free(error);
    return st;
}

static void pay(const OdemeClient *client, const char *conv, const char *product, char **out) {
    char req[4096];
    snprintf(req, sizeof req, PAYMENT, conv, product);
    call(client, "iyzico.create_payment", req, out);
}

/* The child: one payment the simulator holds; the parent kills us during the call. */
static int child(const char *conv) {
    OdemeClient *client = client_from(config);
    if (!client) return 2;
    char *out = NULL;
    pay(client, conv, "sim:delay", &out);
    fprintf(stderr, "child: the call returned (%s); it should have been killed during it\n", out ? out : "");
    return 3;
}

static void refunds(OdemeClient *client) {
    char *out = NULL, payment_id[64], req[512];
    pay(client, "w-refund-1", "Binocular", &out);
    CHECK(out && strstr(out, "\"type\":\"completed\"") != NULL, "payment completed");
    CHECK(json_string(out, "provider_reference", payment_id, sizeof payment_id) == 0, "payment id");
    odeme_string_free(out);

    const char *refund = "{\"paymentId\":\"%s\",\"price\":\"%s\",\"currency\":\"TRY\",\"ip\":\"85.34.78.112\"}";
    snprintf(req, sizeof req, refund, payment_id, "0.50");
    CHECK(call(client, "iyzico.refund_payment", req, &out) == ODEME_STATUS_OK, "refund 0.50");
    CHECK(out && strstr(out, "\"type\":\"refund\"") && strstr(out, "\"state\":\"partially_refunded\""),
          "0.50 of 1.20: partially_refunded (the journal knows what was paid)");
    odeme_string_free(out);

    snprintf(req, sizeof req, refund, payment_id, "0.80");
    CHECK(call(client, "iyzico.refund_payment", req, &out) == ODEME_STATUS_INVALID_REQUEST, "0.80 more is refused");
    CHECK(out && strstr(out, "\"field\":\"price\""), "the refusal names price");
    odeme_string_free(out);

    snprintf(req, sizeof req, refund, payment_id, "0.70");
    CHECK(call(client, "iyzico.refund_payment", req, &out) == ODEME_STATUS_OK, "refund the 0.70 left");
    CHECK(out && strstr(out, "\"state\":\"refunded\""), "refunded");
    odeme_string_free(out);

    CHECK(odeme_client_pending(client, &out, NULL) == ODEME_STATUS_OK && out && strcmp(out, "[]") == 0,
          "nothing pending");
    odeme_string_free(out);
}

/* Until the simulator has booked conv (it holds the reply, sim:delay). Polls; the cap only turns a
 * hang into a failure. */
static int wait_until_booked(const OdemeClient *client, const char *conv) {
    char req[256];
    snprintf(req, sizeof req, "{\"paymentConversationId\":\"%s\"}", conv);
    for (int i = 0; i < 6000; i++) {
        char *out = NULL;
        OdemeStatus st = call(client, "iyzico.payment_details", req, &out);
        int booked = st == ODEME_STATUS_OK && out && strstr(out, "\"state\":\"paid\"") != NULL;
        odeme_string_free(out);
        if (booked) return 0;
        compat_sleep_ms(20);
    }
    return -1;
}

/* How often the simulator received iyzico.create_payment for conv. */
static int times_sent(const char *conv) {
    size_t n = 1 << 22;
    char *log = malloc(n), needle[128];
    if (!log || compat_http_get(getenv("ODEME_SIM_URL"), "/__sim/requests", log, n) != 0) {
        free(log);
        return -1;
    }
    snprintf(needle, sizeof needle, "\"operation\":\"iyzico.create_payment\",\"order_ref\":\"%s\"", conv);
    int count = 0;
    for (const char *p = strstr(log, needle); p; p = strstr(p + 1, needle)) count++;
    free(log);
    return count;
}

static void crash_and_restart(const char *argv0, const char *dir) {
    const char *conv = "w-crash-1";
    OdemeClient *watcher = client_from(config);
    CHECK(watcher != NULL, "client");
    if (!watcher) return;
    compat_child kid;
    int spawned = compat_spawn_self(&kid, argv0, "--child", dir, conv) == 0;
    CHECK(spawned, "child started");
    if (!spawned) {
        odeme_client_free(watcher);
        return;
    }
    CHECK(wait_until_booked(watcher, conv) == 0, "the simulator booked the child's payment");
    int code = 0;
    int killed = compat_kill_child(&kid, &code);
    CHECK(killed == 1, "the child was killed during its call");
    if (killed == 0) fprintf(stderr, "the child exited by itself with %d\n", code);
    odeme_client_free(watcher);

    /* The restart: new clients on the same journal file. */
    OdemeClient *client = client_from(config);
    OdemeClient *dead = client_from(dead_config);
    CHECK(client && dead, "clients after the restart");
    if (!client || !dead) {
        odeme_client_free(client);
        odeme_client_free(dead);
        return;
    }
    char *out = NULL;
    CHECK(odeme_client_pending(client, &out, NULL) == ODEME_STATUS_OK, "pending");
    CHECK(out && strstr(out, "\"operation\":\"iyzico.create_payment\"") && strstr(out, "\"reference\":\"w-crash-1\"") &&
              strstr(out, "\"amount\":\"1.2\"") && strstr(out, "\"currency\":\"TRY\"") &&
              strstr(out, "\"state\":\"sending\""),
          "the killed payment is pending as sending");
    CHECK(out && strstr(out, "},{") == NULL, "and it is the only row");
    odeme_string_free(out);

    pay(dead, conv, "Binocular", &out);
    CHECK(out && strstr(out, "\"kind\":\"invalid_request\"") && strstr(out, "\"field\":\"conversationId\""),
          "the resend is refused before any I/O (no transport error from the dead port)");
    CHECK(out && strstr(out, "reconcile") != NULL, "the refusal says to reconcile");
    odeme_string_free(out);

    CHECK(odeme_client_reconcile(client, &out, NULL) == ODEME_STATUS_OK, "reconcile");
    CHECK(out && strstr(out, "\"state\":\"done\"") && strstr(out, "\"resolved\":\"paid\""),
          "reconcile finds what the simulator booked: done, paid");
    odeme_string_free(out);
    CHECK(odeme_client_pending(client, &out, NULL) == ODEME_STATUS_OK && out && strcmp(out, "[]") == 0,
          "nothing pending after reconcile");
    odeme_string_free(out);

    pay(dead, conv, "Binocular", &out);
    CHECK(out && strstr(out, "\"kind\":\"invalid_request\""), "the resend is still refused once done");
    odeme_string_free(out);
    CHECK(times_sent(conv) == 1, "the simulator received the payment exactly once");
    odeme_client_free(dead);
    odeme_client_free(client);
}

static void crlf_key(void) {
    OdemeError *error = NULL;
    OdemeClient *client = NULL;
    CHECK(odeme_client_new("{\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"secret\\r\\n\"}}", &client, &error) ==
              ODEME_STATUS_CONFIG,
          "a key with CRLF is refused");
    CHECK(error && odeme_error_field(error) && strcmp(odeme_error_field(error), "iyzico.secret_key") == 0,
          "the error names the key");
    odeme_error_free(error);
}

int main(int argc, char **argv) {
    const char *sim_url = getenv("ODEME_SIM_URL");
    int is_child = argc == 4 && strcmp(argv[1], "--child") == 0;
    if (!sim_url || (argc != 2 && !is_child)) {
        fprintf(stderr, "usage: ODEME_SIM_URL=... %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = is_child ? argv[2] : argv[1];
    char path[512], escaped[1024];
    snprintf(path, sizeof path, "%s" COMPAT_SEP "journal.sqlite3", dir);
    if (json_escape(path, escaped, sizeof escaped) != 0) return 2;
    const char *fmt = "{\"allow_http\":true,\"timeout_ms\":3600000,\"journal\":{\"path\":\"%s\"},"
                      "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\","
                      "\"base_url\":\"%s\"}}";
    snprintf(config, sizeof config, fmt, escaped, sim_url);
    snprintf(dead_config, sizeof dead_config, fmt, escaped, "http://127.0.0.1:1");
    if (is_child) return child(argv[3]);

    CHECK(compat_mkdir(dir) == 0, "the journal's directory is new");
    printf("journal: %s\n", path);
    OdemeClient *client = client_from(config);
    CHECK(client != NULL, "client with a journal");
    if (client) {
        refunds(client);
        odeme_client_free(client);
    }
    crash_and_restart(argv[0], dir);
    crlf_key();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
