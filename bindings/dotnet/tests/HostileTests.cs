// Hostile input through the C# binding (issue 16): lone surrogates, NUL characters, nulls,
// megabyte strings, JSON nested a million levels deep, JSON escapes of NUL and of lone surrogates,
// and a few thousand pseudo-random strings (fixed seed) through the OdemeClient constructor,
// Call, the typed methods and the hash helpers. Every failure must be an OdemeException, and the
// process must still be here at the end. No network: the client points at 127.0.0.1:1.
// Prints "test_hostile (C#): N passed, N failed".
using System;
using System.Text;
using Odeme;

internal static class HostileTests
{
    private static int passed, failed;

    private const string Config =
        "{\"allow_http\":true,\"read_retries\":0,\"connect_timeout_ms\":2000,\"timeout_ms\":5000," +
        "\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"s\",\"base_url\":\"http://127.0.0.1:1\"}," +
        "\"paymes\":{\"public_key\":\"p\",\"secret_key\":\"s\",\"base_url\":\"http://127.0.0.1:1\"}," +
        "\"paymago\":{\"token\":\"t\",\"base_url\":\"http://127.0.0.1:1/api\"}," +
        "\"esnekpos\":{\"merchant\":\"TEST1234\",\"merchant_key\":\"k\",\"base_url\":\"http://127.0.0.1:1\"}}";

    private static void Check(bool ok, string what)
    {
        if (ok) passed++;
        else { failed++; Console.Error.WriteLine("FAIL: " + what); }
    }

    /// <summary>Run a; returns the OdemeException's kind, "ok", or fails on any other exception.</summary>
    private static string Outcome(Action a, string what)
    {
        try { a(); return "ok"; }
        catch (OdemeException e)
        {
            Check(e.Kind != "internal", what + ": internal error " + e.Message);
            Check(e.Message != null && e.Message.Length < 4096, what + ": short message");
            return e.Kind;
        }
        catch (Exception e)
        {
            Check(false, what + ": " + e.GetType().Name + " escaped: " + e.Message);
            return e.GetType().Name;
        }
    }

    private static void Expect(string kind, Action a, string what, string field = null)
    {
        try { a(); Check(false, what + ": expected " + kind); }
        catch (OdemeException e)
        {
            Check(e.Kind == kind, what + ": expected " + kind + ", got " + e.Kind + " (" + e.Message + ")");
            if (field != null) Check(e.Field == field, what + ": field " + e.Field + ", expected " + field);
        }
        catch (Exception e) { Check(false, what + ": " + e.GetType().Name + " escaped: " + e.Message); }
    }

    private static string Repeat(string s, int n)
    {
        var b = new StringBuilder(s.Length * n);
        for (int i = 0; i < n; i++) b.Append(s);
        return b.ToString();
    }

    private static void Unicode(OdemeClient c)
    {
        Expect("invalid_argument", () => new OdemeClient("{\"iyzico\":\"\ud800\"}"), "surrogate in config", "configJson");
        Expect("invalid_argument", () => c.Call("iyzico.retrieve_payment", "{\"paymentId\":\"\udc00\"}"), "surrogate in request", "requestJson");
        Expect("invalid_argument", () => c.IyzicoRetrievePayment("{\"\udfff\":\"1\"}"), "surrogate in a key", "requestJson");
        Expect("invalid_argument", () => c.Call("iyzico.\ud800", "{}"), "surrogate in operation", "operation");
        Expect("invalid_argument", () => OdemeClient.PaymesHash(new[] { "a", "\ud800" }, "k"), "surrogate in part", "parts[1]");
        Expect("invalid_argument", () => OdemeClient.IyzicoSignature("k\udbff", new[] { "a" }), "surrogate in key", "secretKey");
        Expect("invalid_argument", () => OdemeClient.IyzicoAuthHeader("a", "s", "r", "/\udfff", new byte[] { 0xff }), "surrogate in path", "uriPath");
        // a NUL would silently cut the string in C: refused
        Expect("invalid_argument", () => c.Call("iyzico.retrieve_payment\0.evil", "{}"), "NUL in operation", "operation");
        Expect("invalid_argument", () => c.Call("iyzico.retrieve_payment", "{\"paymentId\":\"1\"}\0garbage"), "NUL in request", "requestJson");
        Expect("invalid_argument", () => new OdemeClient("{}\0"), "NUL in config", "configJson");
        Expect("invalid_argument", () => OdemeClient.PaymesHash(new[] { "a\0b" }, "k"), "NUL in part", "parts[0]");
        Expect("invalid_argument", () => OdemeClient.PaymesHash(new[] { "a" }, "k\0"), "NUL in key", "secretKey");
        // nulls
        Expect("invalid_argument", () => new OdemeClient(null), "null config", "configJson");
        Expect("invalid_argument", () => c.Call(null, "{}"), "null operation", "operation");
        Expect("invalid_argument", () => c.Call("iyzico.retrieve_payment", null), "null request", "requestJson");
        Expect("invalid_argument", () => OdemeClient.PaymesHash(null, "k"), "null parts", "parts");
        Expect("invalid_argument", () => OdemeClient.PaymesHash(new string[] { null }, "k"), "null part", "parts[0]");
        Expect("invalid_argument", () => OdemeClient.IyzicoSignature("k", null), "null fields", "fields");
        Expect("invalid_argument", () => OdemeClient.IyzicoAuthHeader(null, "s", "r", "/p", null), "null api key", "apiKey");
        // JSON escapes: NUL is data, a lone surrogate escape is not Unicode
        string r = Outcome(() => c.IyzicoRetrievePayment("{\"paymentConversationId\":\"a\\u0000b\",\"locale\":\"tr\"}"), "NUL escape");
        Check(r == "transport" || r == "invalid_request", "NUL escape reaches validation or the transport: " + r);
        Expect("invalid_argument", () => c.IyzicoRetrievePayment("{\"paymentConversationId\":\"\\ud800\"}"), "surrogate escape");
        // a binary body is bytes: NULs and invalid UTF-8 are fine
        Check(OdemeClient.IyzicoAuthHeader("a", "s", "r", "/p", new byte[] { 0, 0xff, 0, 0xc3 }).StartsWith("IYZWSv2 "), "binary body");
        // control characters in an operation name survive the error's JSON
        Expect("invalid_argument", () => c.Call("iyzico.\u0001\u001f\ufffe", "{}"), "control characters in operation");
    }

    private static void Sizes(OdemeClient c)
    {
        string big = "{\"paymentConversationId\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        Expect("invalid_request", () => c.IyzicoRetrievePayment(big), "10 MB request", "(request)");
        Expect("invalid_argument", () => c.Call("iyzico." + new string('y', 1024 * 1024), "{}"), "megabyte operation");
        Expect("config", () => new OdemeClient("{\"ca_pem\":\"" + new string('A', 2 * 1024 * 1024) + "\"}"), "megabyte ca_pem", "ca_pem");
        string hash = OdemeClient.PaymesHash(new[] { big }, new string('k', 1024 * 1024));
        Check(hash.Length > 40, "megabyte hash");
        using (var small = new OdemeClient("{\"max_request_bytes\":2048," + Config.Substring(1)))
        {
            Expect("invalid_request", () => small.IyzicoRetrievePayment("{\"paymentConversationId\":\"" + Repeat("é", 1500) + "\"}"), "over max_request_bytes");
            Expect("transport", () => small.IyzicoRetrievePayment("{\"paymentConversationId\":\"o-1\",\"locale\":\"tr\"}"), "under max_request_bytes");
        }
    }

    private static void Depth(OdemeClient c)
    {
        foreach (int d in new[] { 126, 127, 1000, 1000000 })
        {
            string arrays = "{\"paymentConversationId\":" + new string('[', d) + new string(']', d) + "}";
            string expected = d < 127 ? "invalid_request" : 2 * d > 1024 * 1024 ? "invalid_request" : "invalid_argument";
            Expect(expected, () => c.IyzicoRetrievePayment(arrays), "request nested " + d);
            Expect("invalid_argument", () => c.IyzicoRetrievePayment(new string('[', d)), "unclosed " + d);
            string config = Repeat("{\"a\":", d) + "1" + new string('}', d);
            Expect(d < 128 ? "config" : "invalid_argument", () => new OdemeClient(config), "config nested " + d);
        }
    }

    private static void RandomStrings(OdemeClient c, int rounds)
    {
        var rng = new Random(16);
        string[] tokens = { "{", "}", "[", "]", "\"", ":", ",", "\\u0000", "\\ud800", "1e999", "null", "\"price\"", "\ud800", "\0", "é", "\u0001" };
        string[] ops = { "iyzico.create_payment", "iyzico.retrieve_payment", "paymes.create_order", "paymes.verify_notification", "x" };
        for (int i = 0; i < rounds; i++)
        {
            var b = new StringBuilder();
            int n = rng.Next(60);
            for (int k = 0; k < n; k++)
            {
                if (rng.Next(3) == 0) b.Append((char)rng.Next(1, 0xFFFF));
                else b.Append(tokens[rng.Next(tokens.Length)]);
            }
            string s = b.ToString();
            Outcome(() => c.Call(ops[rng.Next(ops.Length)], s), "random request");
            Outcome(() => c.Call(s, "{}"), "random operation");
            Outcome(() => new OdemeClient(s).Dispose(), "random config");
            Outcome(() => OdemeClient.PaymesHash(new[] { s, "a" }, s), "random hash");
            Outcome(() => OdemeClient.IyzicoAuthHeader(s, s, s, s, Encoding.UTF8.GetBytes(s)), "random header");
        }
    }

    private static int Main()
    {
        using (var c = new OdemeClient(Config))
        {
            Unicode(c);
            Sizes(c);
            Depth(c);
            RandomStrings(c, 2000);
        }
        Console.WriteLine("test_hostile (C#): " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
