/*
 * odeme from C: build a client from JSON, create an iyzico payment and a Paymes order, and
 * show how errors look (a declined card, an outcome-unknown reconciliation).
 *
 *   cc -std=c99 pay.c $(pkg-config --cflags --libs odeme) -o pay && ./pay http://127.0.0.1:PORT
 */
#include <stdio.h>
#include <string.h>

#include "odeme.h"

static void report(const char *step, OdemeStatus st, char *response, OdemeError *error) {
    if (st == ODEME_STATUS_OK) {
        printf("%-34s ok     %.160s...\n", step, response);
        odeme_string_free(response);
    } else {
        char *json = odeme_error_json(error);
        printf("%-34s error  status=%d %s\n", step, (int)st, odeme_error_message(error));
        printf("%-34s        %s\n", "", json);
        odeme_string_free(json);
        odeme_error_free(error);
    }
}

static const char *PAYMENT =
    "{\"conversationId\":\"%s\",\"price\":\"100.00\",\"paidPrice\":\"100.00\",\"installment\":1,"
    "\"paymentCard\":{\"cardHolderName\":\"Ay\\u015fe Y\\u0131lmaz\",\"cardNumber\":\"%s\",\"expireMonth\":\"12\","
    "\"expireYear\":\"2030\",\"cvc\":\"123\"},"
    "\"buyer\":{\"id\":\"B1\",\"name\":\"Ay\\u015fe\",\"surname\":\"Y\\u0131lmaz\",\"identityNumber\":\"11111111110\","
    "\"email\":\"ayse@example.com\",\"registrationAddress\":\"Kad\\u0131k\\u00f6y\",\"city\":\"Istanbul\","
    "\"country\":\"Turkey\",\"ip\":\"85.34.78.112\"},"
    "\"billingAddress\":{\"contactName\":\"Ay\\u015fe Y\\u0131lmaz\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Kad\\u0131k\\u00f6y\"},"
    "\"basketItems\":[{\"id\":\"SKU-1\",\"name\":\"%s\",\"category1\":\"Books\",\"itemType\":\"VIRTUAL\",\"price\":\"100.00\"}]}";

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char config[1024], request[2048];
    snprintf(config, sizeof config,
             "{\"allow_http\":true,\"timeout_ms\":2000,"
             "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"%s\"},"
             "\"paymes\":{\"public_key\":\"sim-paymes-public-key\",\"secret_key\":\"sim-paymes-secret-key\",\"base_url\":\"%s\"}}",
             base, base);

    printf("libodeme %s (ABI %u.%u)\n", odeme_version(), odeme_abi_version() >> 16, odeme_abi_version() & 0xffff);
    OdemeClient *client = NULL;
    OdemeError *error = NULL;
    OdemeStatus st = odeme_client_new(config, &client, &error);
    if (st != ODEME_STATUS_OK) {
        fprintf(stderr, "config: %s\n", odeme_error_message(error));
        odeme_error_free(error);
        return 1;
    }

    char *response = NULL;
    snprintf(request, sizeof request, PAYMENT, "pos-1001", "5528790000000008", "Kitap");
    st = odeme_call(client, "iyzico.create_payment", request, &response, &error);
    report("iyzico.create_payment", st, response, error);
    int failures = st != ODEME_STATUS_OK;

    snprintf(request, sizeof request, PAYMENT, "pos-1002", "4111111111111129", "Kitap");
    st = odeme_call(client, "iyzico.create_payment", request, &response, &error);
    report("iyzico.create_payment (declined)", st, response, error);
    failures += st != ODEME_STATUS_DECLINED;

    snprintf(request, sizeof request, PAYMENT, "pos-1003", "5528790000000008", "sim:drop");
    st = odeme_call(client, "iyzico.create_payment", request, &response, &error);
    report("iyzico.create_payment (no reply)", st, response, error);
    failures += st != ODEME_STATUS_OUTCOME_UNKNOWN;
    if (st == ODEME_STATUS_OUTCOME_UNKNOWN) {
        /* Never resend: ask the provider what happened to pos-1003. */
        st = odeme_call(client, "iyzico.retrieve_payment", "{\"paymentConversationId\":\"pos-1003\"}", &response, &error);
        report("  reconcile: iyzico.retrieve_payment", st, response, error);
        failures += st != ODEME_STATUS_OK;
    }

    st = odeme_call(client, "paymes.create_order",
                    "{\"orderId\":\"pos-2001\",\"price\":\"49.90\",\"currency\":\"TRY\",\"productName\":\"\\u00dcr\\u00fcn\","
                    "\"buyerName\":\"Mehmet Y\\u0131lmaz\",\"buyerPhone\":\"05555555555\",\"buyerEmail\":\"m@example.com\","
                    "\"buyerAddress\":\"\\u00d6rnek adres\"}",
                    &response, &error);
    report("paymes.create_order", st, response, error);
    failures += st != ODEME_STATUS_OK;

    odeme_client_free(client);
    return failures == 0 ? 0 : 1;
}
