// OdemeClient.Log (README, "Logs") against the simulator: a payment's events with their fields,
// each attempt of a retried read, a declined card's error kind, redacted bodies at debug, a
// handler that throws without changing the result, and a journal's intent and outcome. Needs
// ODEME_SIM_URL (scripts/with-sim).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Odeme;

internal static class LoggingTests
{
    private static int passed, failed, seq;
    private static string sim;
    private const string Card = "4766620000000001";

    private static void Check(bool ok, string what)
    {
        if (ok) Interlocked.Increment(ref passed);
        else { Interlocked.Increment(ref failed); Console.Error.WriteLine("FAIL: " + what); }
    }

    private static string Unique(string p) { return p + "-" + System.Diagnostics.Process.GetCurrentProcess().Id + "-" + Interlocked.Increment(ref seq); }

    private static string Config()
    {
        return "{\"allow_http\":true,\"timeout_ms\":30000," +
            "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"" + sim + "\"}}";
    }

    private static string Iyzico(string conv, string card)
    {
        return "{\"conversationId\":\"" + conv + "\",\"price\":\"1.0\",\"paidPrice\":\"1.20\",\"installment\":1,\"basketId\":\"B1\"," +
            "\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"" + card + "\",\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"947\"}," +
            "\"buyer\":{\"id\":\"BY1\",\"name\":\"John\",\"surname\":\"Doe\",\"identityNumber\":\"74300864791\",\"email\":\"e@example.com\"," +
            "\"registrationAddress\":\"Nidakule\",\"ip\":\"85.34.78.112\",\"city\":\"Istanbul\",\"country\":\"Turkey\"}," +
            "\"shippingAddress\":{\"contactName\":\"Jane\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"}," +
            "\"billingAddress\":{\"contactName\":\"Jane\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"}," +
            "\"basketItems\":[{\"id\":\"BI1\",\"name\":\"Pen\",\"category1\":\"C\",\"itemType\":\"PHYSICAL\",\"price\":\"1.0\"}]}";
    }

    private static void Payment()
    {
        using (var c = new OdemeClient(Config()))
        {
            var got = new List<OdemeLogEvent>();
            c.Log += (sender, e) => { Check(ReferenceEquals(sender, c), "sender is the client"); got.Add(e); };
            string reference = Unique("cs-log");
            string r = c.Call("iyzico.create_payment", Iyzico(reference, "5528790000000008"));
            Check(got.Select(e => e.Event).SequenceEqual(new[] { "call.start", "call.attempt", "call.end" }),
                  "events: " + string.Join(",", got.Select(e => e.Event)));
            Check(got.All(e => e.Operation == "iyzico.create_payment" && e.Provider == "iyzico" && e.Reference == reference
                               && e.Level == "info" && e.Ts.EndsWith("Z") && e.RequestBody == null), "common fields");
            OdemeLogEvent attempt = got[1], end = got[2];
            Check(attempt.Method == "POST" && attempt.Path == "/payment/auth" && attempt.Attempt == 1 && attempt.HttpStatus == 200
                  && attempt.DurationMs > 0, "attempt fields: " + attempt.Json);
            Check(end.Outcome == "completed" && end.ErrorKind == null && end.ProviderReference != null
                  && r.Contains("\"provider_reference\":\"" + end.ProviderReference + "\""), "call.end: " + end.Json);
        }
    }

    private static void RetriedRead()
    {
        using (var c = new OdemeClient(Config()))
        {
            string reference = Unique("sim:flaky-cs");
            c.Call("iyzico.create_payment", Iyzico(reference, "5528790000000008"));
            var got = new List<OdemeLogEvent>();
            c.Log += (s, e) => got.Add(e);
            c.Call("iyzico.payment_details", "{\"paymentConversationId\":\"" + reference + "\"}");
            var attempts = got.Where(e => e.Event == "call.attempt").Select(e => e.Attempt + "/" + e.HttpStatus + "/" + e.Level).ToList();
            Check(attempts.SequenceEqual(new[] { "1/503/warn", "2/200/info" }), "attempts: " + string.Join(",", attempts));
        }
    }

    private static void Declined()
    {
        using (var c = new OdemeClient(Config()))
        {
            var got = new List<OdemeLogEvent>();
            c.LogLevel = "warn";
            c.Log += (s, e) => got.Add(e);
            try { c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-d"), "4111111111111129")); Check(false, "declined expected"); }
            catch (DeclinedException) { }
            Check(got.Count == 1 && got[0].Event == "call.end" && got[0].ErrorKind == "declined" && got[0].Level == "warn",
                  "declined call.end at warn: " + string.Join(" ", got.Select(e => e.Json)));
            try { c.LogLevel = "loud"; Check(false, "bad level accepted"); }
            catch (ArgumentException) { Check(c.LogLevel == "warn", "level unchanged"); }
        }
    }

    private static void DebugBodies()
    {
        using (var c = new OdemeClient(Config()))
        {
            var got = new List<OdemeLogEvent>();
            EventHandler<OdemeLogEvent> h = (s, e) => got.Add(e);
            c.LogLevel = "debug";
            c.Log += h;
            c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-dbg"), Card));
            string all = string.Join("\n", got.Select(e => e.Json));
            Check(got[1].RequestBody != null && got[1].RequestBody.Contains("\"cardNumber\":\"476662******0001\""), "card masked: " + got[1].RequestBody);
            Check(got[1].ResponseBody != null && got[1].ResponseBody.Contains("\"status\":\"success\""), "response body");
            foreach (string secret in new[] { Card, "sim-iyzico-api-key", "sim-iyzico-secret-key", "signature", "\"947\"", "\"cvc\"" })
                Check(!all.Contains(secret), "no " + secret + " in the events");
            c.Log -= h;
            got.Clear();
            c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-off"), "5528790000000008"));
            Check(got.Count == 0, "no handler, no events");
        }
    }

    private static void ThrowingHandler()
    {
        using (var c = new OdemeClient(Config()))
        {
            int calls = 0, after = 0;
            c.LogLevel = "debug";
            c.Log += (s, e) => { calls++; throw new InvalidOperationException("a handler that throws"); };
            c.Log += (s, e) => after++;
            string r = c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-throw"), "5528790000000008"));
            Check(r.Contains("\"type\":\"completed\""), "the payment completed");
            try { c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-throw"), "4111111111111129")); Check(false, "declined expected"); }
            catch (DeclinedException e) { Check(e.ProviderCode == "10051", "declined as before"); }
            Check(calls == 6 && after == 6, "every handler saw every event: " + calls + "/" + after);
            Check(c.LastLogHandlerError is InvalidOperationException, "the exception is kept");
        }
    }

    private static void Journal()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Unique("odeme-cs-log-journal"));
        System.IO.Directory.CreateDirectory(dir);
        string cfg = Config();
        cfg = cfg.Substring(0, cfg.LastIndexOf('}')) + ",\"journal\":{\"path\":\"" + System.IO.Path.Combine(dir, "j.sqlite3") + "\"}}";
        using (var c = new OdemeClient(cfg))
        {
            var got = new List<OdemeLogEvent>();
            c.Log += (s, e) => got.Add(e);
            string reference = Unique("cs-log-j");
            string r = c.Call("iyzico.create_payment", Iyzico(reference, "5528790000000008"));
            var names = new[] { "call.start", "journal.intent", "call.attempt", "journal.outcome", "call.end" };
            Check(got.Select(e => e.Event).SequenceEqual(names), "journal events: " + string.Join(",", got.Select(e => e.Event)));
            Check(got.All(e => e.Reference == reference), "the reference on every event");
            Check(got.Count == 5 && got[3].Outcome == "completed" && got[3].ProviderReference != null
                  && r.Contains("\"provider_reference\":\"" + got[3].ProviderReference + "\""), "journal.outcome: " + string.Join(" ", got.Select(e => e.Json)));
            got.Clear();
            try { c.Call("iyzico.create_payment", Iyzico(Unique("cs-log-j"), "4111111111111129")); Check(false, "declined expected"); }
            catch (DeclinedException) { }
            Check(got.Select(e => e.Event).SequenceEqual(names) && got[3].ErrorKind == "declined" && got[4].ErrorKind == "declined",
                  "declined through the journal: " + string.Join(" ", got.Select(e => e.Json)));
        }
        System.IO.Directory.Delete(dir, true);
    }

    private static int Main()
    {
        sim = Environment.GetEnvironmentVariable("ODEME_SIM_URL");
        if (string.IsNullOrEmpty(sim)) { Console.Error.WriteLine("set ODEME_SIM_URL (run through scripts/with-sim)"); return 2; }
        Payment();
        RetriedRead();
        Declined();
        DebugBodies();
        ThrowingHandler();
        Journal();
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
