// A small C++17 RAII wrapper over the odeme C ABI (include/odeme.h): the client, the error and
// every owned `char *` are freed by destructors, and a failed call throws odeme::Error.
// Header-only; part of the example (examples/cpp), not an installed file.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "odeme.h"

namespace odeme {

namespace detail {
struct ClientFree {
    void operator()(OdemeClient *c) const noexcept { odeme_client_free(c); }
};
struct ErrorFree {
    void operator()(OdemeError *e) const noexcept { odeme_error_free(e); }
};
struct StringFree {
    void operator()(char *s) const noexcept { odeme_string_free(s); }
};
using OwnedString = std::unique_ptr<char, StringFree>;

// Copies an owned `char *` result into a std::string and frees it (also when copying throws).
inline std::string take(char *s) {
    OwnedString owned(s);
    return owned ? std::string(owned.get()) : std::string();
}
inline std::string borrowed(const char *s) { return s ? std::string(s) : std::string(); }
}  // namespace detail

// One OdemeError, read once into plain values and freed.
class Error : public std::runtime_error {
public:
    explicit Error(OdemeError *raw)
        : Error(std::unique_ptr<OdemeError, detail::ErrorFree>(raw)) {}

    OdemeStatus status() const noexcept { return status_; }
    const std::string &kind() const noexcept { return kind_; }
    const std::string &field() const noexcept { return field_; }
    const std::string &provider_code() const noexcept { return provider_code_; }
    // The whole error as JSON (reconcile_with and reconcile_request after outcome_unknown).
    const std::string &json() const noexcept { return json_; }
    bool outcome_unknown() const noexcept { return status_ == ODEME_STATUS_OUTCOME_UNKNOWN; }

private:
    explicit Error(std::unique_ptr<OdemeError, detail::ErrorFree> e)
        : std::runtime_error(detail::borrowed(odeme_error_message(e.get()))),
          status_(odeme_error_status(e.get())),
          kind_(detail::borrowed(odeme_error_kind(e.get()))),
          field_(detail::borrowed(odeme_error_field(e.get()))),
          provider_code_(detail::borrowed(odeme_error_provider_code(e.get()))),
          json_(detail::take(odeme_error_json(e.get()))) {}

    OdemeStatus status_;
    std::string kind_, field_, provider_code_, json_;
};

// Owns an OdemeClient; movable, not copyable. Share one client between threads.
class Client {
public:
    explicit Client(const std::string &config_json) {
        OdemeClient *raw = nullptr;
        OdemeError *err = nullptr;
        if (odeme_client_new(config_json.c_str(), &raw, &err) != ODEME_STATUS_OK) {
            throw Error(err);
        }
        client_.reset(raw);
    }

    // The response JSON; throws odeme::Error (status() says what to do next).
    std::string call(const std::string &operation, const std::string &request_json) const {
        char *out = nullptr;
        OdemeError *err = nullptr;
        if (odeme_call(client_.get(), operation.c_str(), request_json.c_str(), &out, &err) != ODEME_STATUS_OK) {
            throw Error(err);
        }
        return detail::take(out);
    }

    static std::string version() { return detail::borrowed(odeme_version()); }

private:
    std::unique_ptr<OdemeClient, detail::ClientFree> client_;
};

}  // namespace odeme
