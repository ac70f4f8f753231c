/*
 * TLS with a pinned CA (`ca_pem`) as a Windows merchant gives it: the PEM text of a file saved
 * on Windows, CRLF line endings and all. Run under Wine by scripts/test-windows against the
 * simulator in TLS mode, whose CA is no public root:
 *  - with `ca_pem` holding that CA (CRLF), iyzico.bin_check succeeds over TLS;
 *  - without it (odeme's compiled-in public roots; the Windows certificate store is not read)
 *    the handshake fails: `transport`, nothing delivered.
 * Usage: ODEME_SIM_URL=https://127.0.0.1:PORT test_tls CA.pem
 * Prints "N passed, N failed"; exits non-zero on any failure.
 */
#include "compat.h"

#include "odeme.h"
#include "check.h"

/* The file's text with every line ending made CRLF, as a JSON string's inside (\r\n escaped). */
static char *pem_as_json_crlf(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, o = 0;
    char *out = malloc(cap);
    int c;
    while (out && (c = fgetc(f)) != EOF) {
        if (o + 8 >= cap) break;
        if (c == '\r') continue;
        if (c == '\n') {
            memcpy(out + o, "\\r\\n", 4);
            o += 4;
        } else {
            out[o++] = (char)c;
        }
    }
    fclose(f);
    if (out) out[o] = 0;
    return out;
}

static OdemeStatus bin_check(const char *ca_json, const char *sim_url, char **out) {
    static char config[1 << 17];
    snprintf(config, sizeof config,
             "{%s%s%s\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\","
             "\"base_url\":\"%s\"},\"read_retries\":0}",
             ca_json ? "\"ca_pem\":\"" : "", ca_json ? ca_json : "", ca_json ? "\"," : "", sim_url);
    OdemeClient *client = NULL;
    OdemeError *error = NULL;
    *out = NULL;
    if (odeme_client_new(config, &client, &error) != ODEME_STATUS_OK) {
        fprintf(stderr, "client: %s\n", odeme_error_message(error));
        odeme_error_free(error);
        return ODEME_STATUS_CONFIG;
    }
    char *response = NULL;
    OdemeStatus st = odeme_call(client, "iyzico.bin_check", "{\"locale\":\"tr\",\"conversationId\":\"tls-1\",\"binNumber\":\"552879\"}",
                                &response, &error);
    *out = st == ODEME_STATUS_OK ? response : odeme_error_json(error);
    odeme_error_free(error);
    odeme_client_free(client);
    return st;
}

int main(int argc, char **argv) {
    const char *sim_url = getenv("ODEME_SIM_URL");
    if (!sim_url || strncmp(sim_url, "https://", 8) != 0 || argc != 2) {
        fprintf(stderr, "usage: ODEME_SIM_URL=https://... %s CA.pem\n", argv[0]);
        return 2;
    }
    char *ca = pem_as_json_crlf(argv[1]);
    CHECK(ca && strstr(ca, "-----BEGIN CERTIFICATE-----\\r\\n"), "the CA's PEM text, CRLF");
    char *out = NULL;
    CHECK(bin_check(ca, sim_url, &out) == ODEME_STATUS_OK, "bin_check over TLS with ca_pem");
    CHECK(out && strstr(out, "\"type\":\"card_info\"") && strstr(out, "\"bank_name\""), "card_info");
    odeme_string_free(out);
    CHECK(bin_check(NULL, sim_url, &out) == ODEME_STATUS_TRANSPORT, "without ca_pem the simulator's CA is not trusted");
    CHECK(out && strstr(out, "TLS") != NULL, "the message names TLS");
    odeme_string_free(out);
    free(ca);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
