/*
 * C test suite for libodeme: every exported function, NULL and invalid arguments, every error
 * status reachable from C, ownership (every string and error freed; run under valgrind), and
 * 8 threads sharing one client making 200 calls each.
 *
 * Every status is reached except ODEME_STATUS_INTERNAL, which only a bug (a caught panic) produces;
 * the panic boundary itself is tested in Rust (ffi/src/lib.rs).
 *
 * Usage: ODEME_SIM_URL=http://127.0.0.1:PORT ./test_odeme
 * Prints "N passed, N failed"; exits non-zero on any failure.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include "compat.h" /* POSIX or Windows: sockets, temporary directories */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odeme.h"
#include "check.h"

static const char *sim_url;
static char config_json[2048];

static const char *IYZICO_FMT =
    "{\"locale\":\"tr\",\"conversationId\":\"%s\",\"price\":\"1.0\",\"paidPrice\":\"1.2\","
    "\"currency\":\"TRY\",\"installment\":1,\"basketId\":\"B67832\",\"paymentChannel\":\"WEB\","
    "\"paymentGroup\":\"PRODUCT\",\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"%s\","
    "\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"123\"},\"buyer\":{\"id\":\"BY789\","
    "\"name\":\"John\",\"surname\":\"Doe\",\"identityNumber\":\"74300864791\",\"email\":\"email@email.com\","
    "\"registrationAddress\":\"Nidakule G\\u00f6ztepe\",\"ip\":\"85.34.78.112\",\"city\":\"Istanbul\","
    "\"country\":\"Turkey\"},\"shippingAddress\":{\"contactName\":\"Jane Doe\",\"city\":\"Istanbul\","
    "\"country\":\"Turkey\",\"address\":\"Nidakule\"},\"billingAddress\":{\"contactName\":\"Jane Doe\","
    "\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"},\"basketItems\":["
    "{\"id\":\"BI101\",\"name\":\"%s\",\"category1\":\"C\",\"itemType\":\"PHYSICAL\",\"price\":\"0.3\"},"
    "{\"id\":\"BI102\",\"name\":\"Game\",\"category1\":\"C\",\"itemType\":\"VIRTUAL\",\"price\":\"0.7\"}]}";

static void iyzico_request(char *buf, size_t n, const char *conv, const char *card, const char *product) {
    snprintf(buf, n, IYZICO_FMT, conv, card, product);
}

/* Run a call, return its status; checks the output/error contract on the way. */
static OdemeStatus call(const OdemeClient *client, const char *op, const char *req, char **json_out) {
    char *response = (char *)0x1; /* must be cleared on entry */
    OdemeError *error = (OdemeError *)0x1;
    OdemeStatus st = odeme_call(client, op, req, &response, &error);
    if (st == ODEME_STATUS_OK) {
        CHECK(response != NULL && error == NULL, "ok: response set, error NULL");
        if (json_out) *json_out = response; else odeme_string_free(response);
    } else {
        CHECK(response == NULL && error != NULL, "error: response NULL, error set");
        CHECK(odeme_error_status(error) == st, "error status equals the returned status");
        if (json_out) *json_out = odeme_error_json(error);
        odeme_error_free(error);
    }
    return st;
}

static OdemeClient *make_client(const char *json) {
    OdemeClient *client = NULL;
    OdemeError *error = NULL;
    OdemeStatus st = odeme_client_new(json, &client, &error);
    if (st != ODEME_STATUS_OK) {
        fprintf(stderr, "client_new: %s\n", odeme_error_message(error));
        odeme_error_free(error);
        return NULL;
    }
    return client;
}

static void test_versions(void) {
    const char *v = odeme_version();
    CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL, "odeme_version is a version string");
    CHECK((odeme_abi_version() >> 16) == ODEME_ABI_MAJOR, "abi major");
    CHECK((odeme_abi_version() & 0xffff) == ODEME_ABI_MINOR, "abi minor");
    char from_header[32];
    snprintf(from_header, sizeof from_header, "%d.%d.%d", ODEME_VERSION_MAJOR, ODEME_VERSION_MINOR,
             ODEME_VERSION_PATCH);
    CHECK(strcmp(v, from_header) == 0, "ODEME_VERSION_* macros match the library's odeme_version()");
}

static void test_client_new(void) {
    OdemeClient *client = (OdemeClient *)0x1;
    OdemeError *error = NULL;
    CHECK(odeme_client_new(NULL, &client, &error) == ODEME_STATUS_INVALID_ARGUMENT, "NULL config");
    CHECK(client == NULL, "out_client cleared and left NULL");
    CHECK(error != NULL && strstr(odeme_error_message(error), "config_json") != NULL, "message names the argument");
    odeme_error_free(error);

    CHECK(odeme_client_new("{}", NULL, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL out_client");
    CHECK(odeme_client_new("{", &client, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "config not JSON, no error slot");
    CHECK(client == NULL, "still NULL");
    CHECK(odeme_client_new("\xff\xfe", &client, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "config not UTF-8");

    error = NULL;
    CHECK(odeme_client_new("{\"timeout\": 5}", &client, &error) == ODEME_STATUS_CONFIG, "unknown key is config");
    char *json = odeme_error_json(error);
    CHECK(json != NULL && strstr(json, "\"kind\":\"config\"") != NULL && strstr(json, "\"status\":3") != NULL,
          "error json carries kind and status");
    odeme_string_free(json);
    odeme_error_free(error);

    CHECK(odeme_client_new("{\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"s\",\"base_url\":\"http://x\"}}",
                           &client, NULL) == ODEME_STATUS_CONFIG, "http without allow_http");

    client = make_client("{}");
    CHECK(client != NULL, "empty config is a valid (useless) client");
    odeme_client_free(client);
}

static void test_nulls_and_frees(void) {
    CHECK(odeme_error_status(NULL) == ODEME_STATUS_INVALID_ARGUMENT, "error_status(NULL)");
    CHECK(odeme_error_message(NULL) != NULL, "error_message(NULL) is not NULL");
    CHECK(odeme_error_json(NULL) == NULL, "error_json(NULL) is NULL");
    /* Every _free accepts NULL: a crash here fails the whole program (and valgrind). */
    odeme_error_free(NULL);
    odeme_string_free(NULL);
    odeme_client_free(NULL);
}

static void test_call_arguments(OdemeClient *client) {
    char *out = NULL;
    OdemeError *error = NULL;
    CHECK(odeme_call(NULL, "iyzico.retrieve_payment", "{}", &out, &error) == ODEME_STATUS_INVALID_ARGUMENT, "NULL client");
    CHECK(out == NULL, "out stays NULL");
    odeme_error_free(error);
    CHECK(odeme_call(client, NULL, "{}", &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL operation");
    CHECK(odeme_call(client, "iyzico.retrieve_payment", NULL, &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL request");
    CHECK(odeme_call(client, "iyzico.retrieve_payment", "{}", NULL, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL out");
    CHECK(call(client, "iyzico.refund", "{}", NULL) == ODEME_STATUS_INVALID_ARGUMENT, "unknown operation");
    CHECK(call(client, "iyzico.retrieve_payment", "{not json", NULL) == ODEME_STATUS_INVALID_ARGUMENT, "request not JSON");
    CHECK(call(client, "iyzico.retrieve_payment", "\"\xc3\x28\"", NULL) == ODEME_STATUS_INVALID_ARGUMENT, "request not UTF-8");

    char req[4096];
    iyzico_request(req, sizeof req, "c-invalid", "5528790000000009", "Binocular");
    char *json = NULL;
    CHECK(call(client, "iyzico.create_payment", req, &json) == ODEME_STATUS_INVALID_REQUEST, "Luhn failure");
    CHECK(json && strstr(json, "\"field\":\"paymentCard.cardNumber\"") != NULL, "field named");
    CHECK(json && strstr(json, "5528790000000009") == NULL, "card number not echoed");
    odeme_string_free(json);
}

/* The error's fields without parsing JSON, and the operation registry. */
static void test_error_fields_and_registry(OdemeClient *client) {
    char req[4096];
    OdemeError *error = NULL;
    char *out = NULL;
    iyzico_request(req, sizeof req, "c-fields-1", "4111111111111129", "Binocular");
    CHECK(odeme_call(client, "iyzico.create_payment", req, &out, &error) == ODEME_STATUS_DECLINED, "declined (fields)");
    CHECK(error != NULL && strcmp(odeme_error_kind(error), "declined") == 0, "odeme_error_kind");
    CHECK(error && odeme_error_provider_code(error) && strcmp(odeme_error_provider_code(error), "10051") == 0,
          "odeme_error_provider_code");
    CHECK(error && odeme_error_provider_message(error) != NULL, "odeme_error_provider_message");
    CHECK(error && odeme_error_field(error) == NULL, "no field: NULL");
    CHECK(error && odeme_error_http_status(error) == 200, "odeme_error_http_status");
    CHECK(error && !odeme_error_retry_safe(error), "declined is not retry-safe");
    odeme_error_free(error);

    error = NULL;
    iyzico_request(req, sizeof req, "c-fields-2", "5528790000000009", "Binocular");
    CHECK(odeme_call(client, "iyzico.create_payment", req, &out, &error) == ODEME_STATUS_INVALID_REQUEST, "invalid (fields)");
    CHECK(error && odeme_error_field(error) && strcmp(odeme_error_field(error), "paymentCard.cardNumber") == 0,
          "odeme_error_field");
    CHECK(error && odeme_error_http_status(error) == 0, "no HTTP status: 0");
    odeme_error_free(error);
    CHECK(odeme_error_kind(NULL) == NULL && !odeme_error_retry_safe(NULL) && odeme_error_http_status(NULL) == 0,
          "NULL error accessors");

    error = NULL;
    iyzico_request(req, sizeof req, "c-fields-3", "5528790000000008", "sim:drop");
    CHECK(odeme_call(client, "iyzico.create_payment", req, &out, &error) == ODEME_STATUS_OUTCOME_UNKNOWN, "drop (fields)");
    char *ej = odeme_error_json(error);
    CHECK(ej && strstr(ej, "\"reconcile_with\":\"iyzico.payment_details\"") != NULL, "reconcile_with in the error JSON");
    CHECK(ej && strstr(ej, "\"reconcile_request\":{\"paymentConversationId\":\"c-fields-3\"}") != NULL,
          "reconcile_request in the error JSON");
    if (ej && strstr(ej, "\"reconcile_request\":")) {
        char *r = NULL;
        CHECK(odeme_call(client, "iyzico.payment_details", "{\"paymentConversationId\":\"c-fields-3\"}", &r, NULL)
                  == ODEME_STATUS_OK && r && strstr(r, "\"state\":\"paid\""),
              "reconcile_request finds the payment");
        odeme_string_free(r);
    }
    odeme_string_free(ej);
    odeme_error_free(error);

    char *ops = odeme_operations();
    CHECK(ops && strstr(ops, "{\"name\":\"iyzico.create_payment\",\"provider\":\"iyzico\",\"sends\":\"at_most_once\","
                             "\"reconcile_with\":\"iyzico.payment_details\",\"reconcile_by\":\"conversationId\","
                             "\"summary\":\"") != NULL,
          "odeme_operations lists create_payment with its policy");
    CHECK(ops && strstr(ops, "\"method\":\"POST\",\"path\":\"/payment/auth\",\"outcome\":[\"completed\",\"review\"]}") != NULL,
          "odeme_operations: method, path and outcome types");
    CHECK(ops && strstr(ops, "\"name\":\"paymes.verify_notification\",\"provider\":\"paymes\",\"sends\":\"local\"") != NULL,
          "odeme_operations lists a local operation");
    odeme_string_free(ops);
}

static void test_statuses(OdemeClient *client) {
    char req[4096];
    char *json = NULL;

    iyzico_request(req, sizeof req, "c-ok-1", "5528790000000008", "Binocular");
    CHECK(call(client, "iyzico.create_payment", req, &json) == ODEME_STATUS_OK, "iyzico payment");
    CHECK(json && strstr(json, "\"type\":\"completed\"") && strstr(json, "\"operation\":\"iyzico.create_payment\""),
          "completed outcome");
    odeme_string_free(json);

    iyzico_request(req, sizeof req, "c-dec-1", "4111111111111129", "Binocular");
    CHECK(call(client, "iyzico.create_payment", req, &json) == ODEME_STATUS_DECLINED, "declined");
    CHECK(json && strstr(json, "\"provider_code\":\"10051\"") != NULL, "decline code");
    odeme_string_free(json);

    iyzico_request(req, sizeof req, "c-drop-1", "5528790000000008", "sim:drop");
    CHECK(call(client, "iyzico.create_payment", req, &json) == ODEME_STATUS_OUTCOME_UNKNOWN, "outcome unknown");
    CHECK(json && strstr(json, "\"retry_safe\":false") != NULL, "not retry-safe");
    odeme_string_free(json);

    iyzico_request(req, sizeof req, "c-sig-1", "5528790000000008", "sim:badsig");
    CHECK(call(client, "iyzico.create_payment", req, NULL) == ODEME_STATUS_SIGNATURE, "signature");

    const char *paymago = "{\"amount\":\"10\",\"currencyCode\":\"949\",\"orderId\":\"c-dup-1\",\"cardHolderName\":\"J D\","
                          "\"cardNumber\":\"5528790000000008\",\"expireYear\":\"2030\",\"expireMonth\":\"12\",\"cvc\":\"123\","
                          "\"saleProduct\":\"P\",\"saleProductPrice\":\"10\",\"isSecureTransaction\":true,"
                          "\"callbackUrl\":\"https://merchant.example/cb\"}";
    CHECK(call(client, "paymago.create_order", paymago, NULL) == ODEME_STATUS_OK, "paymago order");
    CHECK(call(client, "paymago.create_order", paymago, NULL) == ODEME_STATUS_PROVIDER, "provider error (reused orderId)");

    const char *paymes = "{\"orderId\":\"c-pm-1\",\"price\":\"10.50\",\"currency\":\"TRY\",\"productName\":\"\\u00dcr\\u00fcn\","
                         "\"buyerName\":\"Mehmet\",\"buyerPhone\":\"05555555555\",\"buyerEmail\":\"a@example.com\","
                         "\"buyerAddress\":\"Adres\"}";
    CHECK(call(client, "paymes.create_order", paymes, &json) == ODEME_STATUS_OK, "paymes order");
    CHECK(json && strstr(json, "\"type\":\"redirect\"") != NULL, "redirect outcome");
    odeme_string_free(json);

    /* Wrong credentials. */
    char bad[2048];
    snprintf(bad, sizeof bad,
             "{\"allow_http\":true,\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"wrong\",\"base_url\":\"%s\"},"
             "\"paymes\":{\"public_key\":\"p\",\"secret_key\":\"s\",\"base_url\":\"%s/elsewhere\"},\"read_retries\":0}",
             sim_url, sim_url);
    OdemeClient *other = make_client(bad);
    CHECK(other != NULL, "second client");
    CHECK(call(other, "iyzico.retrieve_payment", "{\"paymentId\":\"1\"}", NULL) == ODEME_STATUS_AUTH, "auth");
    CHECK(call(other, "paymes.query_order", "{\"paymesOrderId\":\"x\"}", NULL) == ODEME_STATUS_DECODE, "decode");
    CHECK(call(other, "paymago.order_result", "{\"orderId\":\"x\"}", NULL) == ODEME_STATUS_CONFIG, "unconfigured provider");
    odeme_client_free(other);

    /* Nothing listens on port 1: the request never left. */
    OdemeClient *refused = make_client(
        "{\"allow_http\":true,\"read_retries\":0,\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"s\",\"base_url\":\"http://127.0.0.1:1\"}}");
    iyzico_request(req, sizeof req, "c-refused", "5528790000000008", "Binocular");
    CHECK(call(refused, "iyzico.create_payment", req, &json) == ODEME_STATUS_TRANSPORT, "transport");
    CHECK(json && strstr(json, "\"retry_safe\":true") != NULL, "transport is retry-safe");
    odeme_string_free(json);
    odeme_client_free(refused);
}

static void test_hashes(void) {
    const char *parts[] = {"123456789", "1050", "TRY", "\xc3\x9cr\xc3\xbcn \xc4\xb0smi", "Mehmet Y\xc4\xb1lmaz",
                           "05555555555", "email@example.com", "\xc3\x96rnek adres bilgisi"};
    char *out = NULL;
    CHECK(odeme_paymes_hash(parts, 8, "111111111", &out, NULL) == ODEME_STATUS_OK, "paymes hash");
    CHECK(out && strcmp(out, "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g==") == 0,
          "paymes seed vector");
    odeme_string_free(out);
    CHECK(odeme_paymes_hash(NULL, 2, "s", &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT && out == NULL, "NULL parts");
    const char *with_null[] = {"a", NULL};
    CHECK(odeme_paymes_hash(with_null, 2, "s", &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL element");
    CHECK(odeme_paymes_hash(NULL, 0, "s", &out, NULL) == ODEME_STATUS_OK, "no parts");
    odeme_string_free(out);

    const char *body = "{\"locale\":\"tr\",\"conversationId\":\"123456789\",\"binNumber\":\"552879\"}";
    CHECK(odeme_iyzico_auth_header("sandbox-afXhZPW0MQlE4dCUUlHcEopnMBgXnAZI", "sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq",
                                   "123456789", "/payment/bin/check", (const uint8_t *)body, strlen(body), &out,
                                   NULL) == ODEME_STATUS_OK, "auth header");
    CHECK(out && strcmp(out, "IYZWSv2 YXBpS2V5OnNhbmRib3gtYWZYaFpQVzBNUWxFNGRDVVVsSGNFb3BuTUJnWG5BWkkmcmFuZG9tS2V5OjEyMzQ1Njc4OSZzaWduYXR1cmU6Yzk3Njc5NzFkODg4NGQxM2Q5ZmY1OGU0NzZkNzE3MzBiYjFlOTk1ZTAyMjZmMWE2YjE2YWFjY2VkN2NhYTlmZQ==") == 0,
          "bin check vector");
    odeme_string_free(out);
    CHECK(odeme_iyzico_auth_header("k", "s", "r", "/p", NULL, 3, &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT,
          "NULL body with a length");
    CHECK(odeme_iyzico_auth_header("k", "s", "r", "/p", NULL, 0, &out, NULL) == ODEME_STATUS_OK, "empty body");
    odeme_string_free(out);
    CHECK(odeme_iyzico_auth_header("k", NULL, "r", "/p", NULL, 0, &out, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL secret");

    const char *fields[] = {"10851936", "TRY", "B67832", "123456789", "1.2", "1"};
    CHECK(odeme_iyzico_signature("sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq", fields, 6, &out, NULL) == ODEME_STATUS_OK,
          "signature");
    CHECK(out && strcmp(out, "dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c") == 0, "signature vector");
    odeme_string_free(out);
    CHECK(odeme_iyzico_signature("s", fields, 6, NULL, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL out_hex");
}

#define THREADS 8
#define CALLS 200

struct worker {
    const OdemeClient *client;
    int id;
    int ok;
};

static void *work(void *arg) {
    struct worker *w = (struct worker *)arg;
    char conv[64], req[4096], needle[96];
    for (int i = 0; i < CALLS; i++) {
        snprintf(conv, sizeof conv, "c-thread-%d-%d", w->id, i);
        iyzico_request(req, sizeof req, conv, "5528790000000008", "Binocular");
        char *out = NULL;
        OdemeError *error = NULL;
        if (odeme_call(w->client, "iyzico.create_payment", req, &out, &error) == ODEME_STATUS_OK) {
            snprintf(needle, sizeof needle, "\"conversationId\":\"%s\"", conv);
            if (strstr(out, needle)) w->ok++;
            odeme_string_free(out);
        } else {
            fprintf(stderr, "thread %d call %d: %s\n", w->id, i, odeme_error_message(error));
            odeme_error_free(error);
        }
    }
    return NULL;
}

static void test_threads(OdemeClient *client) {
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t].client = client;
        workers[t].id = t;
        workers[t].ok = 0;
        pthread_create(&threads[t], NULL, work, &workers[t]);
    }
    int total = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        total += workers[t].ok;
    }
    CHECK(total == THREADS * CALLS, "8 threads x 200 calls, every reply matches its request");
}

/* GET http://127.0.0.1:PORT/path from the simulator (the payer's browser); the body into buf. */
static int http_get(const char *path, char *buf, size_t n) {
    return compat_http_get(sim_url, path, buf, n);
}

/* iyzico 3-D Secure from C: init, the bank's page (its answer is the callback form, as JSON),
 * verify, complete once; a forged callback; an mdStatus 0 card. */
static void test_3ds(OdemeClient *client) {
    char req[4096], page[4096], path[128], payment_id[64], more[4200];
    char *json = NULL;

    iyzico_request(req, sizeof req, "c-3ds-1", "5528790000000008", "Binocular");
    /* create_payment's request plus callbackUrl. */
    snprintf(more, sizeof more, "%.*s,\"callbackUrl\":\"https://shop.example/cb\"}", (int)strlen(req) - 1, req);
    CHECK(call(client, "iyzico.init_3ds", more, &json) == ODEME_STATUS_OK, "init_3ds");
    CHECK(json && strstr(json, "\"type\":\"html\"") != NULL, "html outcome");
    CHECK(json_string(json, "payment_id", payment_id, sizeof payment_id) == 0, "payment_id in the outcome");
    odeme_string_free(json);

    snprintf(path, sizeof path, "/pay/iyzico3ds/%s", payment_id);
    CHECK(http_get(path, page, sizeof page) == 0, "the bank's page answers the callback fields");
    CHECK(call(client, "iyzico.verify_3ds_callback", page, &json) == ODEME_STATUS_OK, "verify_3ds_callback");
    CHECK(json && strstr(json, "\"state\":\"authenticated\"") && strstr(json, "\"md_status\":\"1\""),
          "authenticated, mdStatus 1");
    odeme_string_free(json);

    /* A forged callback: mdStatus changed after signing. */
    char forged[4096];
    snprintf(forged, sizeof forged, "%s", page);
    char *md = strstr(forged, "\"mdStatus\":\"1\"");
    CHECK(md != NULL, "mdStatus in the callback");
    if (md) md[strlen("\"mdStatus\":\"")] = '7';
    CHECK(call(client, "iyzico.verify_3ds_callback", forged, NULL) == ODEME_STATUS_SIGNATURE, "forged callback");

    snprintf(req, sizeof req,
             "{\"paymentId\":\"%s\",\"paidPrice\":\"1.2\",\"basketId\":\"B67832\",\"currency\":\"TRY\","
             "\"conversationId\":\"c-3ds-1\"}",
             payment_id);
    CHECK(call(client, "iyzico.complete_3ds", req, &json) == ODEME_STATUS_OK, "complete_3ds");
    CHECK(json && strstr(json, "\"type\":\"completed\"") != NULL, "completed outcome");
    odeme_string_free(json);
    CHECK(call(client, "iyzico.complete_3ds", req, NULL) == ODEME_STATUS_PROVIDER, "a second completion is iyzico's error");

    iyzico_request(req, sizeof req, "c-3ds-2", "4131111111111117", "Binocular");
    snprintf(more, sizeof more, "%.*s,\"callbackUrl\":\"https://shop.example/cb\"}", (int)strlen(req) - 1, req);
    CHECK(call(client, "iyzico.init_3ds", more, &json) == ODEME_STATUS_OK, "init_3ds (mdStatus 0 card)");
    CHECK(json_string(json, "payment_id", payment_id, sizeof payment_id) == 0, "payment_id");
    odeme_string_free(json);
    snprintf(path, sizeof path, "/pay/iyzico3ds/%s", payment_id);
    CHECK(http_get(path, page, sizeof page) == 0, "bank page");
    CHECK(call(client, "iyzico.verify_3ds_callback", page, &json) == ODEME_STATUS_OK, "verify (mdStatus 0)");
    CHECK(json && strstr(json, "\"state\":\"failed\"") && strstr(json, "\"md_status\":\"0\""), "failed, mdStatus 0");
    CHECK(json && strstr(json, "4131111111111117") == NULL, "no card number in the outcome");
    odeme_string_free(json);
}

/* ---- authorize now, capture later; stored cards (issue 33) --------------------------------- */

static void details_state(OdemeClient *client, const char *payment_id, char *state, size_t n) {
    char req[128];
    char *json = NULL;
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\"}", payment_id);
    state[0] = 0;
    if (call(client, "iyzico.payment_details", req, &json) == ODEME_STATUS_OK) json_string(json, "state", state, n);
    odeme_string_free(json);
}

static void test_preauth_and_cards(OdemeClient *client) {
    char req[4096], more[4200], id[64], state[32], user[64], token[64], keys[256];
    char *json = NULL;

    iyzico_request(req, sizeof req, "c-preauth-1", "5528790000000008", "Room");
    CHECK(call(client, "iyzico.preauth_payment", req, &json) == ODEME_STATUS_OK, "preauth_payment");
    CHECK(json && strstr(json, "\"type\":\"authorized\"") != NULL, "authorized outcome");
    CHECK(json_string(json, "payment_id", id, sizeof id) == 0, "payment_id");
    odeme_string_free(json);
    details_state(client, id, state, sizeof state);
    CHECK(strcmp(state, "authorized") == 0, "details: authorized");
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\",\"paidPrice\":\"1.00\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}", id);
    CHECK(call(client, "iyzico.capture_payment", req, &json) == ODEME_STATUS_OK, "capture_payment (part)");
    CHECK(json && strstr(json, "\"type\":\"completed\"") != NULL, "completed after the capture");
    odeme_string_free(json);
    details_state(client, id, state, sizeof state);
    CHECK(strcmp(state, "paid") == 0, "details: paid");
    CHECK(call(client, "iyzico.capture_payment", req, NULL) == ODEME_STATUS_PROVIDER, "a second capture is refused");

    iyzico_request(req, sizeof req, "c-preauth-2", "5528790000000008", "Room");
    CHECK(call(client, "iyzico.preauth_payment", req, &json) == ODEME_STATUS_OK, "preauth to release");
    json_string(json, "payment_id", id, sizeof id);
    odeme_string_free(json);
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\",\"ip\":\"85.34.78.112\"}", id);
    CHECK(call(client, "iyzico.cancel_payment", req, &json) == ODEME_STATUS_OK, "release by cancel");
    CHECK(json && strstr(json, "\"state\":\"cancelled\"") != NULL, "cancelled");
    odeme_string_free(json);

    iyzico_request(req, sizeof req, "c-preauth-3", "5528790000000008", "Room");
    snprintf(more, sizeof more, "%.*s,\"callbackUrl\":\"https://shop.example/cb\"}", (int)strlen(req) - 1, req);
    CHECK(call(client, "iyzico.init_3ds_preauth", more, &json) == ODEME_STATUS_OK, "init_3ds_preauth");
    json_string(json, "payment_id", id, sizeof id);
    odeme_string_free(json);
    char path[128], page[4096];
    snprintf(path, sizeof path, "/pay/iyzico3ds/%s", id);
    CHECK(http_get(path, page, sizeof page) == 0, "3-D page");
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\",\"paidPrice\":\"1.2\",\"basketId\":\"B67832\",\"currency\":\"TRY\"}", id);
    CHECK(call(client, "iyzico.complete_3ds", req, &json) == ODEME_STATUS_OK, "complete_3ds of a pre-authorization");
    CHECK(json && strstr(json, "\"type\":\"authorized\"") != NULL, "complete_3ds answers authorized");
    odeme_string_free(json);
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\",\"paidPrice\":\"1.2\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}", id);
    CHECK(call(client, "iyzico.capture_payment", req, NULL) == ODEME_STATUS_OK, "capture the 3-D pre-authorization");

    iyzico_request(req, sizeof req, "c-preauth-4", "5528790000000008", "sim:capture-drop");
    CHECK(call(client, "iyzico.preauth_payment", req, &json) == ODEME_STATUS_OK, "preauth (capture drop)");
    json_string(json, "payment_id", id, sizeof id);
    odeme_string_free(json);
    snprintf(req, sizeof req, "{\"paymentId\":\"%s\",\"paidPrice\":\"1.00\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}", id);
    OdemeError *err = NULL;
    char *resp = NULL;
    CHECK(odeme_call(client, "iyzico.capture_payment", req, &resp, &err) == ODEME_STATUS_OUTCOME_UNKNOWN, "dropped capture");
    CHECK(err && odeme_error_reconcile_with(err) && strcmp(odeme_error_reconcile_with(err), "iyzico.payment_details") == 0,
          "reconcile with payment_details");
    odeme_error_free(err);
    details_state(client, id, state, sizeof state);
    CHECK(strcmp(state, "paid") == 0, "the dropped capture went through");

    CHECK(call(client, "iyzico.store_card",
               "{\"email\":\"e@example.com\",\"card\":{\"cardNumber\":\"5528790000000008\",\"expireYear\":\"2030\","
               "\"expireMonth\":\"12\",\"cardHolderName\":\"John Doe\"}}", &json) == ODEME_STATUS_OK, "store_card");
    CHECK(json_string(json, "card_user_key", user, sizeof user) == 0 && json_string(json, "card_token", token, sizeof token) == 0,
          "the card's keys");
    odeme_string_free(json);
    snprintf(keys, sizeof keys, "{\"cardUserKey\":\"%s\",\"cardToken\":\"%s\"}", user, token);
    snprintf(req, sizeof req, "{\"cardUserKey\":\"%s\"}", user);
    CHECK(call(client, "iyzico.list_cards", req, &json) == ODEME_STATUS_OK, "list_cards");
    CHECK(json && strstr(json, token) != NULL, "the stored card is listed");
    odeme_string_free(json);
    iyzico_request(req, sizeof req, "c-token-1", "5528790000000008", "Binocular");
    char *card = strstr(req, "\"paymentCard\":{");
    char *end = card ? strchr(card, '}') : NULL;
    CHECK(card && end, "the request's paymentCard");
    if (card && end) {
        snprintf(more, sizeof more, "%.*s\"paymentCard\":%s%s", (int)(card - req), req, keys, end + 1);
        CHECK(call(client, "iyzico.create_payment", more, NULL) == ODEME_STATUS_OK, "pay by token");
        CHECK(call(client, "iyzico.delete_card", keys, NULL) == ODEME_STATUS_OK, "delete_card");
        CHECK(odeme_call(client, "iyzico.create_payment", more, &resp, &err) == ODEME_STATUS_PROVIDER, "a deleted token fails");
        char *ej = odeme_error_json(err);
        CHECK(ej && strstr(ej, token) == NULL && strstr(ej, user) == NULL && strstr(odeme_error_message(err), token) == NULL,
              "no key or token in the error");
        odeme_string_free(ej);
        odeme_error_free(err);
    }
}

/* ---- webhooks and the payment journal (issue 13) ------------------------------------------ */

/* iyzico/iyzipay-php samples/webhook_Signature_Validation.php: direct API body, secret, header. */
static const char *WEBHOOK_BODY =
    "{\"paymentConversationId\":\"conversationId\",\"merchantId\":3382172,\"paymentId\":22484059,"
    "\"status\":\"SUCCESS\",\"iyziReferenceCode\":\"a9af8e6b-4401-4928-b6b8-40419aaa3d0f\","
    "\"iyziEventType\":\"API_AUTH\",\"iyziEventTime\":1721825828467,\"iyziPaymentId\":22484059}";
static const char *WEBHOOK_SIG = "92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae";

static void test_webhooks_and_journal(void) {
    OdemeClient *client = make_client(
        "{\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs\"}}");
    if (!client) return;
    char headers[256];
    snprintf(headers, sizeof headers, "{\"x-iyz-signature-v3\":\"%s\"}", WEBHOOK_SIG);
    char *json = NULL;
    OdemeError *error = NULL;
    size_t len = strlen(WEBHOOK_BODY);
    OdemeStatus st = odeme_verify_webhook(client, "iyzico", headers, (const uint8_t *)WEBHOOK_BODY, len, &json, &error);
    CHECK(st == ODEME_STATUS_OK && error == NULL, "published iyzico webhook verifies");
    CHECK(json && strstr(json, "\"operation\":\"webhook.iyzico\"") && strstr(json, "\"type\":\"notification\"") &&
              strstr(json, "\"state\":\"paid\"") && strstr(json, "\"payment_id\":\"22484059\"") &&
              strstr(json, "\"duplicate\":false"),
          "webhook response fields");
    odeme_string_free(json);

    /* tampered body: one byte changed */
    char *tampered = malloc(len + 1);
    memcpy(tampered, WEBHOOK_BODY, len + 1);
    char *s = strstr(tampered, "SUCCESS");
    if (s) s[0] = 'X';
    json = NULL;
    st = odeme_verify_webhook(client, "iyzico", headers, (const uint8_t *)tampered, len, &json, &error);
    CHECK(st == ODEME_STATUS_SIGNATURE && json == NULL && error != NULL, "tampered body is a signature error");
    odeme_error_free(error);
    error = NULL;
    free(tampered);

    st = odeme_verify_webhook(client, "iyzico", "{}", (const uint8_t *)WEBHOOK_BODY, len, &json, &error);
    CHECK(st == ODEME_STATUS_SIGNATURE && strstr(odeme_error_message(error), "X-IYZ-SIGNATURE-V3") != NULL,
          "missing header is a signature error naming it");
    odeme_error_free(error);
    error = NULL;
    CHECK(odeme_verify_webhook(client, "iyzico", headers, NULL, 5, &json, NULL) == ODEME_STATUS_INVALID_ARGUMENT,
          "NULL body with a length");
    CHECK(odeme_verify_webhook(client, "iyzico", "[", (const uint8_t *)WEBHOOK_BODY, len, &json, NULL) ==
              ODEME_STATUS_INVALID_ARGUMENT,
          "headers not JSON");
    CHECK(odeme_verify_webhook(NULL, "iyzico", headers, NULL, 0, &json, NULL) == ODEME_STATUS_INVALID_ARGUMENT,
          "NULL client");
    CHECK(odeme_client_pending(client, &json, &error) == ODEME_STATUS_CONFIG && json == NULL, "pending without a journal");
    CHECK(error && strcmp(odeme_error_field(error), "journal") == 0, "config error names journal");
    odeme_error_free(error);
    error = NULL;
    CHECK(odeme_client_reconcile(client, &json, NULL) == ODEME_STATUS_CONFIG, "reconcile without a journal");
    CHECK(odeme_client_pending(client, NULL, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "NULL out_json");
    odeme_client_free(client);

    char dir[256];
    if (compat_mkdtemp(dir, sizeof dir, "odeme-c-journal") != 0) {
        CHECK(0, "mkdtemp");
        return;
    }
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"journal\":{\"path\":\"%s/j.sqlite3\"}}", dir);
    client = make_client(cfg);
    CHECK(client != NULL, "client with a journal");
    if (!client) return;
    CHECK(odeme_client_pending(client, &json, NULL) == ODEME_STATUS_OK && json && strcmp(json, "[]") == 0,
          "empty journal: pending is []");
    odeme_string_free(json);
    json = NULL;
    CHECK(odeme_client_reconcile(client, &json, NULL) == ODEME_STATUS_OK && json && strcmp(json, "[]") == 0,
          "empty journal: reconcile is []");
    odeme_string_free(json);
    odeme_client_free(client);
}

/* ---- exact data across the C ABI (issue 30) ------------------------------------------------ */

/* A reply with a 100 KB string (iyzico echoes the conversationId) beside its amounts: C keeps the
 * provider's digits by default; ODEME_RENDER_NUMBERS_AS_STRINGS gives every non-integer number as
 * a string of the same digits, integers stay numbers; ODEME_RENDER_RAW_AS_TEXT gives raw as text. */
static void test_render(OdemeClient *client) {
    static char conv[100 * 1024 + 64];
    size_t n = 100 * 1024;
    memset(conv, 'c', n);
    snprintf(conv + n, 64, "-render-%ld", (long)getpid());
    size_t reqlen = strlen(IYZICO_FMT) + strlen(conv) + 256;
    char *req = malloc(reqlen);
    snprintf(req, reqlen, IYZICO_FMT, conv, "5528790000000008", "Binocular");
    char *json = NULL;
    OdemeError *error = NULL;
    CHECK(odeme_call(client, "iyzico.create_payment", req, &json, &error) == ODEME_STATUS_OK, "long reply: default");
    CHECK(json && strlen(json) > 2 * n, "the 100 KB field comes back (outcome and raw)");
    CHECK(json && strstr(json, "\"paidPrice\":1.2,") && strstr(json, "\"price\":1.0,"), "default: the provider's digits as numbers");
    odeme_string_free(json);
    json = NULL;
    odeme_error_free(error);
    error = NULL;

    /* a second payment under the same conversationId is allowed (iyzico keeps both) */
    CHECK(odeme_call_ex(client, "iyzico.create_payment", req, ODEME_RENDER_NUMBERS_AS_STRINGS, &json, &error) == ODEME_STATUS_OK,
          "long reply: numbers as strings");
    CHECK(json && strstr(json, "\"paidPrice\":\"1.2\",") && strstr(json, "\"price\":\"1.0\",") &&
              strstr(json, "\"paid_price\":\"1.2\""),
          "numbers as strings: exact digits, outcome and raw");
    CHECK(json && strstr(json, "\"installment\":1,") && strstr(json, "\"merchantCommissionRate\":0,") &&
              strstr(json, "\"iyziCommissionFee\":\"0.25\"") && strstr(json, ":0.") == NULL && strstr(json, ":1.") == NULL,
          "numbers as strings: integers stay numbers, no bare decimal left");
    odeme_string_free(json);
    json = NULL;

    CHECK(odeme_call_ex(client, "iyzico.create_payment", req, ODEME_RENDER_NUMBERS_AS_STRINGS | ODEME_RENDER_RAW_AS_TEXT, &json, &error) == ODEME_STATUS_OK,
          "long reply: raw as text");
    CHECK(json && strstr(json, "\"raw\":\"{") && strstr(json, "\\\"paidPrice\\\":1.2"), "raw as text keeps the provider's digits");
    odeme_string_free(json);
    json = NULL;
    CHECK(odeme_call_ex(client, "iyzico.create_payment", req, 4, &json, &error) == ODEME_STATUS_INVALID_ARGUMENT && json == NULL,
          "unknown render bits are refused");
    odeme_error_free(error);
    error = NULL;

    /* the client's own setting applies to odeme_call */
    CHECK(odeme_client_set_render(NULL, 0, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "set_render: NULL client");
    CHECK(odeme_client_set_render(client, 8, NULL) == ODEME_STATUS_INVALID_ARGUMENT, "set_render: unknown bits");
    CHECK(odeme_client_set_render(client, ODEME_RENDER_NUMBERS_AS_STRINGS, &error) == ODEME_STATUS_OK && error == NULL, "set_render");
    CHECK(odeme_call(client, "iyzico.retrieve_payment", "{\"paymentConversationId\":\"c-render-none\",\"paymentId\":\"1\"}", &json, &error) != ODEME_STATUS_INTERNAL, "call after set_render");
    odeme_string_free(json);
    json = NULL;
    odeme_error_free(error);
    error = NULL;
    CHECK(odeme_call(client, "iyzico.create_payment", req, &json, NULL) == ODEME_STATUS_OK && json &&
              strstr(json, "\"paidPrice\":\"1.2\","),
          "odeme_call follows the client's render");
    odeme_string_free(json);
    json = NULL;
    CHECK(odeme_client_set_render(client, 0, NULL) == ODEME_STATUS_OK, "set_render back to 0");
    free(req);
}

/* Error fields by accessor: operation, provider, reconcile_with (borrowed), reconcile_request (owned). */
static void test_error_accessors(OdemeClient *client) {
    char req[4096];
    OdemeError *error = NULL;
    char *out = NULL;
    iyzico_request(req, sizeof req, "c-acc-1", "5528790000000008", "sim:drop");
    CHECK(odeme_call(client, "iyzico.create_payment", req, &out, &error) == ODEME_STATUS_OUTCOME_UNKNOWN, "drop (accessors)");
    CHECK(error && strcmp(odeme_error_operation(error), "iyzico.create_payment") == 0, "odeme_error_operation");
    CHECK(error && strcmp(odeme_error_provider(error), "iyzico") == 0, "odeme_error_provider");
    CHECK(error && strcmp(odeme_error_reconcile_with(error), "iyzico.payment_details") == 0, "odeme_error_reconcile_with");
    char *rr = odeme_error_reconcile_request(error);
    CHECK(rr && strcmp(rr, "{\"paymentConversationId\":\"c-acc-1\"}") == 0, "odeme_error_reconcile_request");
    odeme_string_free(rr);
    odeme_error_free(error);
    error = NULL;
    CHECK(odeme_call(client, "iyzico.retrieve_payment", "{}", &out, &error) != ODEME_STATUS_OK, "invalid (accessors)");
    CHECK(error && odeme_error_reconcile_with(error) == NULL && odeme_error_reconcile_request(error) == NULL,
          "no reconciliation: NULL");
    odeme_error_free(error);
    CHECK(odeme_error_operation(NULL) == NULL && odeme_error_provider(NULL) == NULL &&
              odeme_error_reconcile_with(NULL) == NULL && odeme_error_reconcile_request(NULL) == NULL,
          "NULL error: NULL fields");
}

static void test_webhook_headers(void) {
    OdemeClient *client = make_client(
        "{\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs\"}}");
    if (!client) return;
    size_t len = strlen(WEBHOOK_BODY);
    OdemeHeader headers[2] = {{"Content-Type", "application/json"}, {"X-Iyz-Signature-V3", WEBHOOK_SIG}};
    char *json = NULL;
    OdemeError *error = NULL;
    CHECK(odeme_verify_webhook_headers(client, "iyzico", headers, 2, (const uint8_t *)WEBHOOK_BODY, len, &json, &error) ==
              ODEME_STATUS_OK && error == NULL,
          "webhook headers as pairs verify");
    CHECK(json && strstr(json, "\"payment_id\":\"22484059\"") && strstr(json, "\"state\":\"paid\""), "webhook (pairs) fields");
    odeme_string_free(json);
    json = NULL;
    OdemeHeader bad[1] = {{"X-IYZ-SIGNATURE-V3", "00"}};
    CHECK(odeme_verify_webhook_headers(client, "iyzico", bad, 1, (const uint8_t *)WEBHOOK_BODY, len, &json, &error) ==
              ODEME_STATUS_SIGNATURE && json == NULL,
          "bad signature (pairs)");
    CHECK(error && strcmp(odeme_error_provider(error), "iyzico") == 0, "a webhook error names its provider");
    CHECK(error && strcmp(odeme_error_operation(error), "webhook.iyzico") == 0, "webhook error operation");
    char *ej = odeme_error_json(error);
    CHECK(ej && strstr(ej, "\"provider\":\"iyzico\""), "error JSON: provider iyzico");
    odeme_string_free(ej);
    odeme_error_free(error);
    error = NULL;
    OdemeHeader null_value[1] = {{"X-IYZ-SIGNATURE-V3", NULL}};
    CHECK(odeme_verify_webhook_headers(client, "iyzico", null_value, 1, (const uint8_t *)WEBHOOK_BODY, len, &json, &error) ==
              ODEME_STATUS_INVALID_ARGUMENT && error && strstr(odeme_error_message(error), "headers[0].value"),
          "NULL header value is named");
    odeme_error_free(error);
    CHECK(odeme_verify_webhook_headers(client, "iyzico", NULL, 1, NULL, 0, &json, NULL) == ODEME_STATUS_INVALID_ARGUMENT,
          "NULL headers with a count");
    OdemeHeader not_utf8[2] = {{"Content-Type", "application/json"}, {"X-\xff", "v"}};
    error = NULL;
    CHECK(odeme_verify_webhook_headers(client, "iyzico", not_utf8, 2, (const uint8_t *)WEBHOOK_BODY, len, &json, &error) ==
              ODEME_STATUS_INVALID_ARGUMENT && error && strstr(odeme_error_message(error), "headers[1].name") && json == NULL,
          "a header name that is not UTF-8 is named");
    odeme_error_free(error);
    CHECK(odeme_verify_webhook_headers(client, "iyzico", NULL, 0, NULL, 0, &json, NULL) == ODEME_STATUS_SIGNATURE,
          "no headers: signature error");
    odeme_client_free(client);
}

int main(void) {
    sim_url = getenv("ODEME_SIM_URL");
    if (!sim_url) {
        fprintf(stderr, "set ODEME_SIM_URL to the simulator's base URL\n");
        return 2;
    }
    snprintf(config_json, sizeof config_json,
             "{\"allow_http\":true,\"timeout_ms\":30000,"
             "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"%s\"},"
             "\"paymes\":{\"public_key\":\"sim-paymes-public-key\",\"secret_key\":\"sim-paymes-secret-key\",\"base_url\":\"%s\"},"
             "\"paymago\":{\"token\":\"sim-paymago-token\",\"base_url\":\"%s/api\"}}",
             sim_url, sim_url, sim_url);

    test_versions();
    test_client_new();
    test_nulls_and_frees();
    test_hashes();
    test_webhooks_and_journal();
    test_webhook_headers();
    OdemeClient *client = make_client(config_json);
    CHECK(client != NULL, "client");
    if (client) {
        test_call_arguments(client);
        test_statuses(client);
        test_3ds(client);
        test_preauth_and_cards(client);
        test_error_fields_and_registry(client);
        test_error_accessors(client);
        test_render(client);
        test_threads(client);
        odeme_client_free(client);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
