// odeme from C++17 through the RAII wrapper in odeme.hpp: an iyzico payment against the
// simulator, a declined card, and a payment whose reply is lost, looked up instead of resent.
//
//   cmake -S examples/cpp -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build
//   ./build/pay http://127.0.0.1:PORT          (scripts/test-c builds and runs it)
#include <cstdio>
#include <string>

#include "odeme.hpp"

static std::string payment(const std::string &order, const std::string &card, const std::string &product) {
    return R"({"conversationId":")" + order + R"(","price":"100.00","paidPrice":"100.00","installment":1,)"
           R"("paymentCard":{"cardHolderName":"Ayse Yilmaz","cardNumber":")" + card +
           R"(","expireMonth":"12","expireYear":"2030","cvc":"123"},)"
           R"("buyer":{"id":"B1","name":"Ayse","surname":"Yilmaz","identityNumber":"11111111110",)"
           R"("email":"ayse@example.com","registrationAddress":"Kadikoy","city":"Istanbul","country":"Turkey","ip":"85.34.78.112"},)"
           R"("billingAddress":{"contactName":"Ayse Yilmaz","city":"Istanbul","country":"Turkey","address":"Kadikoy"},)"
           R"("basketItems":[{"id":"SKU-1","name":")" + product +
           R"(","category1":"Books","itemType":"VIRTUAL","price":"100.00"}]})";
}

static bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

int main(int argc, char **argv) {
    const std::string base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    int failures = 0;
    try {
        std::printf("libodeme %s (C++ wrapper)\n", odeme::Client::version().c_str());
        const odeme::Client client(R"({"allow_http":true,"timeout_ms":2000,"iyzico":{"api_key":"sim-iyzico-api-key",)"
                                   R"("secret_key":"sim-iyzico-secret-key","base_url":")" + base + R"("}})");

        const std::string paid = client.call("iyzico.create_payment", payment("cpp-1001", "5528790000000008", "Kitap"));
        std::printf("payment:  %.100s...\n", paid.c_str());
        failures += !contains(paid, R"("type":"completed")");

        try {
            client.call("iyzico.create_payment", payment("cpp-1002", "4111111111111129", "Kitap"));
            std::printf("declined card was accepted\n");
            ++failures;
        } catch (const odeme::Error &e) {
            std::printf("declined: %s %s (%s)\n", e.kind().c_str(), e.provider_code().c_str(), e.what());
            failures += e.status() != ODEME_STATUS_DECLINED;
        }

        try {
            client.call("iyzico.create_payment", payment("cpp-1003", "5528790000000008", "sim:drop"));
            std::printf("a dropped reply was reported as a success\n");
            ++failures;
        } catch (const odeme::Error &e) {
            std::printf("outcome unknown: %s\n", e.json().c_str());
            failures += !e.outcome_unknown();
            // Never resend: the error names the query (reconcile_with, reconcile_request), here
            // iyzico.payment_details by the payment's conversationId.
            failures += !contains(e.json(), R"("reconcile_with":"iyzico.payment_details")");
            const std::string q = client.call("iyzico.payment_details", R"({"paymentConversationId":"cpp-1003"})");
            std::printf("  looked up: %.100s...\n", q.c_str());
            failures += !contains(q, R"("state":"paid")");
        }

        try {
            odeme::Client bad(R"({"iyzico": {"api_key": 1}})");
            ++failures;
        } catch (const odeme::Error &e) {
            std::printf("bad config: %s (field %s)\n", e.kind().c_str(), e.field().c_str());
            failures += e.status() != ODEME_STATUS_CONFIG;
        }
    } catch (const odeme::Error &e) {
        std::fprintf(stderr, "unexpected: %s %s\n", e.kind().c_str(), e.what());
        return 1;
    }
    return failures == 0 ? 0 : 1;
}
