// Test program for the C# binding (C# 7.2, Mono's mcs): every operation, the binding against
// libodeme's registry, every exception class and field, reconciliation, hash helpers against System.Security.Cryptography, dispose semantics, 8 threads on
// one client. Needs ODEME_SIM_URL (run through scripts/with-sim). Prints "N passed, N failed".
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Odeme;

internal static class OdemeTests
{
    private static int passed, failed;
    private static string sim;
    private static int seq;

    private static void Check(bool ok, string what)
    {
        if (ok) Interlocked.Increment(ref passed);
        else { Interlocked.Increment(ref failed); Console.Error.WriteLine("FAIL: " + what); }
    }

    private static string Unique(string p) { return p + "-" + System.Diagnostics.Process.GetCurrentProcess().Id + "-" + Interlocked.Increment(ref seq); }

    private static string Get(string json, string key)
    {
        var m = Regex.Match(json, "\"" + key + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.]+|true|false|null)");
        if (!m.Success) return null;
        return m.Groups[2].Success ? Regex.Unescape(m.Groups[2].Value) : m.Groups[1].Value;
    }

    private static string Visit(string url) { using (var w = new WebClient()) { w.Encoding = Encoding.UTF8; return w.DownloadString(url); } }

    private static string Config(string overrideIyzicoSecret = "sim-iyzico-secret-key", string paymesBase = null, int readRetries = 2)
    {
        return "{\"allow_http\":true,\"timeout_ms\":30000,\"read_retries\":" + readRetries + "," +
            "\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\",\"secret_key\":\"" + overrideIyzicoSecret + "\",\"base_url\":\"" + sim + "\"}," +
            "\"paymes\":{\"public_key\":\"sim-paymes-public-key\",\"secret_key\":\"sim-paymes-secret-key\",\"secret\":\"sim-paymes-legacy-secret\",\"base_url\":\"" + (paymesBase ?? sim) + "\"}," +
            "\"paymago\":{\"token\":\"sim-paymago-token\",\"base_url\":\"" + sim + "/api\"}," +
            "\"esnekpos\":{\"merchant\":\"TEST1234\",\"merchant_key\":\"4oK26hK8MOXrIV1bzTRVPA==\",\"base_url\":\"" + sim + "\"}}";
    }

    private static string Iyzico(string conv, string card = "5528790000000008", string product = "Binocular")
    {
        return "{\"conversationId\":\"" + conv + "\",\"price\":\"1.0\",\"paidPrice\":\"1.20\",\"installment\":1,\"basketId\":\"B1\"," +
            "\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"" + card + "\",\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"123\"}," +
            "\"buyer\":{\"id\":\"BY1\",\"name\":\"John\",\"surname\":\"Doe\",\"identityNumber\":\"74300864791\",\"email\":\"e@example.com\"," +
            "\"registrationAddress\":\"Nidakule Göztepe\",\"ip\":\"85.34.78.112\",\"city\":\"Istanbul\",\"country\":\"Turkey\"}," +
            "\"shippingAddress\":{\"contactName\":\"Jane\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"}," +
            "\"billingAddress\":{\"contactName\":\"Jane\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Nidakule\"}," +
            "\"basketItems\":[{\"id\":\"BI1\",\"name\":\"" + product + "\",\"category1\":\"C\",\"itemType\":\"PHYSICAL\",\"price\":\"0.3\"}," +
            "{\"id\":\"BI2\",\"name\":\"Game\",\"category1\":\"C\",\"itemType\":\"VIRTUAL\",\"price\":\"0.7\"}]}";
    }

    private static string Paymes(string orderId, string product = "Ürün İsmi")
    {
        return "{\"orderId\":\"" + orderId + "\",\"price\":\"1050\",\"currency\":\"TRY\",\"productName\":\"" + product + "\"," +
            "\"buyerName\":\"Mehmet Yılmaz\",\"buyerPhone\":\"05555555555\",\"buyerEmail\":\"email@example.com\",\"buyerAddress\":\"Örnek adres\"}";
    }

    private static string Paymago(string orderId, string card = "5528790000000008", string product = "Phone")
    {
        return "{" + (orderId != null ? "\"orderId\":\"" + orderId + "\"," : "") + "\"amount\":\"150.00\",\"currencyCode\":\"949\"," +
            "\"cardHolderName\":\"John Doe\",\"cardNumber\":\"" + card + "\",\"expireYear\":\"2030\",\"expireMonth\":\"12\",\"cvc\":\"123\"," +
            "\"saleProduct\":\"" + product + "\",\"saleProductPrice\":\"150.00\",\"isSecureTransaction\":true,\"callbackUrl\":\"https://m.example/cb\"}";
    }

    private static T Raises<T>(Action a, string kind, int status) where T : OdemeException
    {
        try { a(); }
        catch (OdemeException e)
        {
            Check(e is T, "expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            Check(e.Kind == kind && e.Status == status, typeof(T).Name + " kind/status " + e.Kind + "/" + e.Status);
            return e as T;
        }
        Check(false, "expected " + typeof(T).Name);
        return null;
    }

    private static void Operations(OdemeClient c)
    {
        string conv = Unique("cs");
        string r = c.IyzicoCreatePayment(Iyzico(conv));
        Check(Get(r, "type") == "completed" && Get(r, "paid_price") == "1.2", "iyzico completed");
        string paymentId = Get(r, "provider_reference");
        Check(Get(c.IyzicoRetrievePayment("{\"paymentId\":\"" + paymentId + "\"}"), "state") == "paid", "retrieve by id");
        Check(Get(c.Call("iyzico.retrieve_payment", "{\"paymentConversationId\":\"" + conv + "\"}"), "state") == "paid", "retrieve by conversation");

        r = c.PaymesCreateOrder(Paymes(Unique("pm")));
        Check(Get(r, "type") == "redirect", "paymes redirect");
        string paymesId = Get(r, "provider_order_id");
        Check(Get(c.PaymesQueryOrder("{\"paymesOrderId\":\"" + paymesId + "\"}"), "state") == "pending", "paymes pending");
        string notification = Visit(Get(r, "url"));
        Check(Get(c.PaymesVerifyNotification(notification), "state") == "paid", "paymes notification");
        Check(Get(c.PaymesQueryOrder("{\"paymesOrderId\":\"" + paymesId + "\"}"), "state") == "paid", "paymes paid");
        Check(Get(c.PaymesCreateKioskOrder(Paymes(Unique("pk"))), "type") == "terminal", "paymes kiosk");
        Check(Get(c.PaymesCreateOrderLegacy(Paymes(Unique("pl"))), "type") == "redirect", "paymes legacy");

        r = c.PaymagoCreateOrder(Paymago(null));
        Check(Get(r, "type") == "redirect", "paymago redirect");
        string orderId = Get(r, "order_id");
        string callback = Visit(Get(r, "url"));
        string q = c.PaymagoOrderResult("{\"orderId\":\"" + orderId + "\",\"paymentId\":\"" + Get(callback, "paymentId") + "\"}");
        Check(Get(q, "state") == "paid", "paymago paid");

        r = c.EsnekposSendPaymentRequest("{\"AMOUNT\":\"10.56\",\"INSTALLMENT\":0,\"PHONE_NUMBER\":\"5554443322\",\"MAIL\":\"t@mail.com\",\"TYPE\":3,\"LOCALE\":\"tr\",\"IS_TOTAL_AMOUNT\":true,\"PRODUCT\":\"Test Ürün\"}");
        Check(Get(r, "type") == "payment_link", "esnekpos link");
        Visit(Get(r, "url"));
        Check(Get(c.EsnekposQueryPaymentRequest("{\"SEND_PAYMENT_REQUEST_ID\":\"" + Get(r, "request_id") + "\"}"), "state") == "paid", "esnekpos paid");
    }

    private static void Errors(OdemeClient c)
    {
        OdemeException e = Raises<InvalidArgumentException>(() => c.Call("iyzico.refund", "{}"), "invalid_argument", 1);
        Raises<InvalidArgumentException>(() => c.Call("iyzico.retrieve_payment", "{not json"), "invalid_argument", 1);

        e = Raises<InvalidRequestException>(() => c.IyzicoCreatePayment(Iyzico(Unique("bad")).Replace("\"0.7\"", "\"0.71\"")), "invalid_request", 2);
        Check(e != null && e.Field == "basketItems" && e.Operation == "iyzico.create_payment" && e.Provider == "iyzico" && !e.RetrySafe, "invalid_request fields");

        e = Raises<ConfigException>(() => new OdemeClient("{\"timeout\":1}"), "config", 3);
        Check(e != null && e.Field == "timeout", "config field");

        using (var refused = new OdemeClient("{\"allow_http\":true,\"read_retries\":0,\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"s\",\"base_url\":\"http://127.0.0.1:1\"}}"))
        {
            e = Raises<TransportException>(() => refused.IyzicoCreatePayment(Iyzico("t")), "transport", 10);
            Check(e != null && e.RetrySafe, "transport is retry-safe");
        }

        e = Raises<OutcomeUnknownException>(() => c.PaymagoCreateOrder(Paymago(Unique("d"), product: "sim:drop")), "outcome_unknown", 11);
        Check(e != null && !e.RetrySafe, "outcome_unknown is not retry-safe");

        using (var wrong = new OdemeClient(Config("wrong-secret")))
        {
            e = Raises<AuthException>(() => wrong.IyzicoRetrievePayment("{\"paymentId\":\"1\"}"), "auth", 20);
            Check(e != null && e.ProviderCode == "1000", "auth code");
        }

        e = Raises<DeclinedException>(() => c.IyzicoCreatePayment(Iyzico(Unique("dec"), "4111111111111129")), "declined", 21);
        Check(e != null && e.ProviderCode == "10051" && !string.IsNullOrEmpty(e.ProviderMessage) && e.HttpStatus == 200, "declined fields");
        Raises<DeclinedException>(() => c.IyzicoCreatePayment(Iyzico(Unique("dec"), "4129111111111111")), "declined", 21);
        Raises<DeclinedException>(() => c.IyzicoCreatePayment(Iyzico(Unique("dec"), "4124111111111116")), "declined", 21);

        e = Raises<ProviderException>(() => c.PaymesCreateOrder(Paymes(Unique("r"), "sim:redirect")), "provider", 22);
        Check(e != null && e.HttpStatus == 302, "302 read, not followed");

        Raises<SignatureException>(() => c.IyzicoCreatePayment(Iyzico(Unique("s"), product: "sim:badsig")), "signature", 23);

        using (var lost = new OdemeClient(Config(paymesBase: sim + "/elsewhere", readRetries: 0)))
        {
            e = Raises<DecodeException>(() => lost.PaymesQueryOrder("{\"paymesOrderId\":\"x\"}"), "decode", 30);
            Check(e != null && e.RetrySafe && e.HttpStatus == 404, "decode fields");
        }

        // InternalException is raised only for odeme's own bugs (a caught panic), which the API
        // cannot trigger on purpose: check the class contract.
        var fields = new System.Collections.Generic.Dictionary<string, object> { { "kind", "internal" }, { "status", "99" }, { "message", "bug" } };
        var internalError = new InternalException(fields);
        Check(internalError.Status == 99 && internalError.Kind == "internal" && internalError is OdemeException, "internal class");

        // Redaction: card data and secrets never appear in messages or ToString().
        string pan = "5528790000000008", cvc = "739", secret = "sentinel-secret-1618033988";
        using (var s = new OdemeClient(Config(secret)))
        {
            string all = "";
            foreach (string req in new[] {
                Iyzico(Unique("red"), pan).Replace("\"cvc\":\"123\"", "\"cvc\":" + cvc),
                Iyzico(Unique("red"), pan).Replace("\"cardNumber\":\"" + pan + "\"", "\"cardNumber\":" + pan),
                Iyzico(Unique("red"), pan).Replace("\"cvc\":\"123\"", "\"cvc\":\"" + cvc + "\"") })
            {
                try { s.IyzicoCreatePayment(req); Check(false, "expected an error"); }
                catch (OdemeException x) { all += x.ToString() + x.Message + x.ProviderMessage + x.Field; }
            }
            Check(!all.Contains(pan) && !all.Contains(cvc) && !all.Contains(secret), "redaction: " + all);
        }
    }

    /// <summary>"iyzico.payment_details" -> "IyzicoPaymentDetails".</summary>
    private static string MethodName(string operation)
    {
        return string.Concat(operation.Split('.', '_').Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1)));
    }

    // The binding against odeme_operations(): an operation declared in Rust without its C# method,
    // or a method for an operation that no longer exists, fails here.
    private static void Registry(OdemeClient c)
    {
        var ops = OdemeClient.Operations();
        Check(ops.Count > 0, "Operations() is not empty");
        var names = ops.Select(o => o.Name).ToList();
        Check(names.Distinct().Count() == names.Count, "operation names are unique");
        foreach (OperationInfo op in ops)
        {
            Check(Regex.IsMatch(op.Name, "^[a-z]+\\.[a-z0-9_]+$") && op.Name.StartsWith(op.Provider + "."), "operation name " + op.Name);
            Check(op.Sends == "at_most_once" || op.Sends == "retryable" || op.Sends == "local", op.Name + " sends " + op.Sends);
            Check(op.ReconcileWith == null ? op.ReconcileBy == null : names.Contains(op.ReconcileWith) && op.ReconcileBy != null,
                  op.Name + " reconciles with a declared operation");
        }
        OperationInfo create = ops.FirstOrDefault(o => o.Name == "iyzico.create_payment");
        Check(create != null && create.Sends == "at_most_once" && create.ReconcileWith == "iyzico.payment_details"
              && create.ReconcileBy == "conversationId", "iyzico.create_payment declaration");
        Check(create != null && create.Method == "POST" && create.Path == "/payment/auth" && create.Summary.Length > 0
              && create.Outcome.SequenceEqual(new[] { "completed", "review" }), "iyzico.create_payment: method, path, summary, outcome");
        OperationInfo local = ops.FirstOrDefault(o => o.Sends == "local");
        Check(local != null && local.Method == null && local.Path == null, "a local operation has no method or path");

        var methods = typeof(OdemeClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name != "Call" && m.Name != "CallTyped" && m.Name != "Dispose"
                        && m.Name != "VerifyWebhook" && m.Name != "Pending" && m.Name != "Reconcile")
            .Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var expected = names.Select(MethodName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Check(methods.SequenceEqual(expected), "per-operation methods == Operations(): methods [" + string.Join(", ", methods) +
              "], operations [" + string.Join(", ", expected) + "]");

        // An empty request fails validation before any I/O, naming the operation that ran.
        foreach (OperationInfo op in ops)
        {
            MethodInfo m = typeof(OdemeClient).GetMethod(MethodName(op.Name), new[] { typeof(string) });
            if (m == null || m.ReturnType != typeof(OdemeResponse)) { Check(false, "no OdemeResponse " + MethodName(op.Name) + "(string)"); continue; }
            try { m.Invoke(c, new object[] { "{}" }); Check(false, m.Name + "(\"{}\") should fail validation"); }
            catch (TargetInvocationException x)
            {
                var e = x.InnerException as OdemeException;
                Check(e != null && e.Operation == op.Name && e.Provider == op.Provider, m.Name + " runs " + op.Name);
            }
        }
    }

    /// <summary>
    /// Typed responses, and exact amounts beside a 100 KB field (iyzico echoes the conversationId):
    /// PaidPrice is the exact digits, and Call's text carries no non-integer number unquoted.
    /// </summary>
    private static void Typed(OdemeClient c)
    {
        string conv = Unique("typed") + new string('c', 100 * 1024);
        OdemeResponse r = c.IyzicoCreatePayment(Iyzico(conv));
        var done = r.Outcome as CompletedOutcome;
        Check(done != null && done.Type == "completed", "typed: a CompletedOutcome, got " + (r.Outcome == null ? "null" : r.Outcome.GetType().Name));
        if (done == null) return;
        // odeme sends "1.20" as iyzico's SDK does ("1.2"); the reply's digits come back exactly.
        Check(done.PaidPrice == "1.2" && done.Price == "1.0", "typed: PaidPrice exact: " + done.PaidPrice + " / " + done.Price);
        Check(decimal.Parse(done.Price, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture) == "1.0",
              "typed: an amount as decimal keeps its digits");
        Check(done.ConversationId == conv && done.Currency == "TRY", "typed: the 100 KB field comes back");
        Check(done.ItemTransactions.Count == 2 && done.ItemTransactions[0].Price == "0.3" && done.ItemTransactions[1].PaymentTransactionId != null,
              "typed: item transactions");
        Check(r.Operation == "iyzico.create_payment" && r.ProviderReference == done.PaymentId, "typed: operation and provider reference");
        Check(r.RawJson.StartsWith("{") && r.RawJson.Contains("\"paidPrice\":1.2,") && r.RawJson.Length > 100 * 1024,
              "RawJson: the provider's reply with its digits");
        string legacy = r;
        Check(legacy == r.Json && Get(legacy, "paid_price") == "1.2", "an OdemeResponse converts to its JSON text");

        string text = c.Call("iyzico.retrieve_payment", "{\"paymentConversationId\":\"" + conv + "\"}");
        Check(text.Length > 100 * 1024 && text.Contains("\"paidPrice\":\"1.2\"") && text.Contains("\"installment\":1,")
              && !Regex.IsMatch(text, ":-?[0-9]+[.eE][0-9]"),
              "Call: every non-integer number a string of its digits, integers numbers");
        OdemeResponse s = c.IyzicoPaymentDetails("{\"paymentId\":\"" + done.PaymentId + "\"}");
        var st = s.Outcome as StatusOutcome;
        Check(st != null && st.State == "paid" && st.PaidPrice == "1.2" && st.Refunds != null && st.Refunds.Count == 0 && st.Cancelled == false,
              "typed: a StatusOutcome from payment_details");
    }

    // Authorize now, capture later; stored cards (issue 33).
    private static void PreauthAndCards(OdemeClient c)
    {
        OdemeResponse r = c.IyzicoPreauthPayment(Iyzico(Unique("cspa")));
        var held = r.Outcome as AuthorizedOutcome;
        Check(held != null && held.PaidPrice == "1.2", "preauth: an AuthorizedOutcome with its exact amount");
        if (held == null) return;
        string id = held.PaymentId;
        var st = c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}").Outcome as StatusOutcome;
        Check(st != null && st.State == "authorized", "details: authorized until captured");
        var done = c.IyzicoCapturePayment("{\"paymentId\":\"" + id + "\",\"paidPrice\":\"1.00\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}").Outcome as CompletedOutcome;
        Check(done != null && decimal.Parse(done.PaidPrice, System.Globalization.CultureInfo.InvariantCulture) == 1.00m, "capture: Completed with the captured amount");
        st = c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}").Outcome as StatusOutcome;
        Check(st != null && st.State == "paid", "details: paid after the capture");
        Raises<ProviderException>(() => c.IyzicoCapturePayment("{\"paymentId\":\"" + id + "\",\"paidPrice\":\"0.10\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}"), "provider", 22);

        string rel = (c.IyzicoPreauthPayment(Iyzico(Unique("csrel"))).Outcome as AuthorizedOutcome).PaymentId;
        var cancel = c.IyzicoCancelPayment("{\"paymentId\":\"" + rel + "\",\"ip\":\"85.34.78.112\"}").Outcome as RefundOutcome;
        Check(cancel != null && cancel.State == "cancelled", "an authorization released by cancel");

        string drop = (c.IyzicoPreauthPayment(Iyzico(Unique("cscd"), product: "sim:capture-drop")).Outcome as AuthorizedOutcome).PaymentId;
        var e = Raises<OutcomeUnknownException>(() => c.IyzicoCapturePayment("{\"paymentId\":\"" + drop + "\",\"paidPrice\":\"1.00\",\"ip\":\"85.34.78.112\",\"currency\":\"TRY\"}"), "outcome_unknown", 11);
        Check(e != null && e.ReconcileWith == "iyzico.payment_details" && e.ReconcileRequestJson == "{\"paymentId\":\"" + drop + "\"}", "a dropped capture: reconcile by paymentId");
        Check(Sent("iyzico.capture_payment", drop) == 1, "a dropped capture was sent once");

        var card = c.IyzicoStoreCard("{\"email\":\"e@example.com\",\"card\":{\"cardNumber\":\"5528790000000008\",\"expireYear\":\"2030\",\"expireMonth\":\"12\",\"cardHolderName\":\"John Doe\"}}").Outcome as CardOutcome;
        Check(card != null && card.CardToken != null && card.CardUserKey != null && card.LastFour == "0008", "store_card: a CardOutcome");
        if (card == null) return;
        string keys = "{\"cardUserKey\":\"" + card.CardUserKey + "\",\"cardToken\":\"" + card.CardToken + "\"}";
        var listed = c.IyzicoListCards("{\"cardUserKey\":\"" + card.CardUserKey + "\"}").Outcome as CardsOutcome;
        Check(listed != null && listed.Cards.Count == 1 && listed.Cards[0].CardToken == card.CardToken, "list_cards");
        string byToken = Iyzico(Unique("cstok")).Replace("\"paymentCard\":{\"cardHolderName\":\"John Doe\",\"cardNumber\":\"5528790000000008\",\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"123\"}", "\"paymentCard\":" + keys);
        Check(c.IyzicoCreatePayment(byToken).Outcome is CompletedOutcome, "pay by token");
        Check(c.IyzicoDeleteCard(keys).Outcome is CardDeletedOutcome, "delete_card");
        var gone = Raises<ProviderException>(() => c.IyzicoCreatePayment(byToken), "provider", 22);
        Check(gone != null && !gone.ToString().Contains(card.CardToken) && !gone.ToString().Contains(card.CardUserKey), "no token in the error");
    }

    private static void Reconcile(OdemeClient c)
    {
        string conv = Unique("rec");
        var e = Raises<OutcomeUnknownException>(() => c.IyzicoCreatePayment(Iyzico(conv, product: "sim:drop")), "outcome_unknown", 11);
        Check(e != null && e.ReconcileWith == "iyzico.payment_details", "reconcile_with: " + (e == null ? null : e.ReconcileWith));
        Check(e != null && e.ReconcileRequestJson == "{\"paymentConversationId\":\"" + conv + "\"}", "reconcile_request: " + (e == null ? null : e.ReconcileRequestJson));
        if (e != null && e.ReconcileWith != null && e.ReconcileRequestJson != null)
        {
            string details = c.Call(e.ReconcileWith, e.ReconcileRequestJson);
            Check(Get(details, "operation") == "iyzico.payment_details" && Get(details, "state") == "paid", "reconciled: paid");
            Check(Get(c.IyzicoPaymentDetails(e.ReconcileRequestJson), "state") == "paid", "IyzicoPaymentDetails: paid");
        }

        var d = Raises<DeclinedException>(() => c.IyzicoCreatePayment(Iyzico(Unique("dec"), "4111111111111129")), "declined", 21);
        Check(d != null && d.ReconcileWith == null && d.ReconcileRequestJson == null, "no reconciliation outside outcome_unknown");
    }

    private static int Sent(string operation, string orderRef)
    {
        return Regex.Matches(Visit(sim + "/__sim/requests"), "\"operation\":\"" + Regex.Escape(operation) + "\",\"order_ref\":\"" + Regex.Escape(orderRef) + "\"").Count;
    }

    private static string PaidIyzico(OdemeClient c, string product = "Binocular")
    {
        return Get(c.IyzicoCreatePayment(Iyzico(Unique("csrf"), product: product)), "payment_id");
    }

    // Refunds and cancels: iyzico full and partial refunds and a cancel (twice: iyzico's error), the
    // Paymes cancel, EsnekPOS returns (full and partial), over-refunds refused before any I/O, and
    // sim:refund-drop reconciled through the declared operation with one send in the log.
    private static void Refunds(OdemeClient c)
    {
        string id = PaidIyzico(c);
        string r = c.IyzicoRefundPayment("{\"paymentId\":\"" + id + "\",\"price\":\"1.20\",\"currency\":\"TRY\"}");
        Check(Get(r, "type") == "refund" && Get(r, "state") == "refunded" && Get(r, "amount") == "1.2" && Get(r, "payment_id") == id, "iyzico full refund: " + r);
        Check(Get(c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}"), "state") == "refunded", "details: refunded");

        id = PaidIyzico(c);
        string details = c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}");
        r = c.IyzicoRefundPayment("{\"paymentId\":\"" + id + "\",\"price\":\"0.5\",\"details\":" + details + "}");
        Check(Get(r, "state") == "partially_refunded" && Get(r, "amount") == "0.5", "iyzico partial refund: " + r);
        details = c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}");
        Check(Get(details, "state") == "partially_refunded", "details: partially_refunded");
        var over = Raises<InvalidRequestException>(() => c.IyzicoRefundPayment("{\"paymentId\":\"" + id + "\",\"price\":\"0.71\",\"details\":" + details + "}"), "invalid_request", 2);
        Check(over != null && over.Field == "price", "over-refund names price");
        Check(Sent("iyzico.refund_payment", id) == 1, "the refused over-refund was not sent");
        var p = Raises<ProviderException>(() => c.IyzicoRefundPayment("{\"paymentId\":\"" + id + "\",\"price\":\"0.71\"}"), "provider", 22);
        Check(p != null && p.ProviderCode == "5094", "iyzico over-refund code");

        id = PaidIyzico(c);
        r = c.IyzicoCancelPayment("{\"paymentId\":\"" + id + "\",\"ip\":\"85.34.78.112\",\"reason\":\"fraud\"}");
        Check(Get(r, "state") == "cancelled" && Get(r, "amount") == "1.2", "iyzico cancel: " + r);
        Check(Get(c.IyzicoPaymentDetails("{\"paymentId\":\"" + id + "\"}"), "state") == "cancelled", "details: cancelled");
        p = Raises<ProviderException>(() => c.IyzicoCancelPayment("{\"paymentId\":\"" + id + "\"}"), "provider", 22);
        Check(p != null && p.ProviderCode == "5093", "second cancel code");
        Check(Sent("iyzico.cancel_payment", id) == 2, "two cancels sent");

        id = PaidIyzico(c, "sim:refund-drop");
        var u = Raises<OutcomeUnknownException>(() => c.IyzicoRefundPayment("{\"paymentId\":\"" + id + "\",\"price\":\"0.4\"}"), "outcome_unknown", 11);
        Check(u != null && u.ReconcileWith == "iyzico.payment_details" && u.ReconcileRequestJson == "{\"paymentId\":\"" + id + "\"}", "refund-drop reconcile fields");
        if (u != null && u.ReconcileWith != null)
            Check(Get(c.Call(u.ReconcileWith, u.ReconcileRequestJson), "state") == "partially_refunded", "refund-drop reconciled");
        Check(Sent("iyzico.refund_payment", id) == 1, "refund-drop sent once");

        string order = c.PaymesCreateOrder(Paymes(Unique("cspm")));
        Visit(Get(order, "url"));
        string pid = Get(order, "provider_order_id");
        r = c.PaymesCancelOrder("{\"paymesOrderId\":\"" + pid + "\",\"price\":\"1050\"}");
        Check(Get(r, "type") == "refund" && Get(r, "amount") == "1050.00", "paymes cancel: " + r);
        Check(Get(c.PaymesQueryOrder("{\"paymesOrderId\":\"" + pid + "\"}"), "state") == "cancelled", "paymes cancelled");
        Raises<ProviderException>(() => c.PaymesCancelOrder("{\"paymesOrderId\":\"" + pid + "\",\"price\":\"1050\"}"), "provider", 22);

        foreach (bool partial in new[] { false, true })
        {
            string link = c.EsnekposSendPaymentRequest("{\"AMOUNT\":\"10.56\",\"INSTALLMENT\":0,\"PHONE_NUMBER\":\"5554443322\",\"MAIL\":\"t@mail.com\",\"TYPE\":3,\"PRODUCT\":\"P\"}");
            string oref = Get(Visit(Get(link, "url")), "ORDER_REF_NO");
            if (!partial)
            {
                r = c.EsnekposReturnOrder("{\"ORDER_REF_NUMBER\":\"" + oref + "\",\"AMOUNT\":\"10.56\"}");
                Check(Get(r, "amount") == "10.56" && Get(r, "refund_id") != null, "esnekpos full return: " + r);
                Check(Get(c.EsnekposQueryPaymentRequest("{\"SEND_PAYMENT_REQUEST_ID\":\"" + Get(link, "request_id") + "\"}"), "state") == "cancelled", "esnekpos cancelled");
            }
            else
            {
                r = c.EsnekposReturnOrder("{\"ORDER_REF_NUMBER\":\"" + oref + "\",\"AMOUNT\":4,\"refundable\":\"10.56\"}");
                Check(Get(r, "state") == "partially_refunded" && Get(r, "amount") == "4.00", "esnekpos partial return: " + r);
                var e = Raises<InvalidRequestException>(() => c.EsnekposReturnOrder("{\"ORDER_REF_NUMBER\":\"" + oref + "\",\"AMOUNT\":\"6.57\",\"refundable\":\"6.56\"}"), "invalid_request", 2);
                Check(e != null && e.Field == "AMOUNT", "esnekpos over-return names AMOUNT");
                Check(Sent("esnekpos.return_order", oref) == 1, "esnekpos over-return not sent");
            }
        }
    }

    private static void Accessors(OdemeClient c)
    {
        var e = Raises<DeclinedException>(() => c.IyzicoCreatePayment(Iyzico(Unique("acc"), "4111111111111129")), "declined", 21);
        Check(e != null && e.ProviderCode == "10051" && e.HttpStatus == 200 && !e.RetrySafe, "declined: code 10051, HTTP 200, not retry-safe");
        Check(e != null && !string.IsNullOrEmpty(e.ProviderMessage) && e.Field == null
              && e.Operation == "iyzico.create_payment" && e.Provider == "iyzico", "declined: message, operation, provider");

        var cfg = Raises<ConfigException>(() => new OdemeClient("{\"timeout\":1}"), "config", 3);
        Check(cfg != null && cfg.Field == "timeout" && cfg.ProviderCode == null && cfg.ProviderMessage == null
              && cfg.HttpStatus == null && cfg.Operation == null, "absent fields are null");

        // A failure without error details (NULL OdemeError*) still has the class of its status.
        MethodInfo raise = typeof(OdemeClient).GetMethod("Raise", BindingFlags.NonPublic | BindingFlags.Static);
        var classes = new[] {
            Tuple.Create(1, typeof(InvalidArgumentException), "invalid_argument"), Tuple.Create(2, typeof(InvalidRequestException), "invalid_request"),
            Tuple.Create(3, typeof(ConfigException), "config"), Tuple.Create(10, typeof(TransportException), "transport"),
            Tuple.Create(11, typeof(OutcomeUnknownException), "outcome_unknown"), Tuple.Create(20, typeof(AuthException), "auth"),
            Tuple.Create(21, typeof(DeclinedException), "declined"), Tuple.Create(22, typeof(ProviderException), "provider"),
            Tuple.Create(23, typeof(SignatureException), "signature"), Tuple.Create(30, typeof(DecodeException), "decode"),
            Tuple.Create(99, typeof(InternalException), "internal"), Tuple.Create(77, typeof(InternalException), "internal") };
        Check(raise != null, "OdemeClient.Raise exists");
        if (raise == null) return;
        foreach (var t in classes)
        {
            var x = (OdemeException)raise.Invoke(null, new object[] { t.Item1, IntPtr.Zero });
            Check(x.GetType() == t.Item2 && x.Status == t.Item1 && x.Kind == t.Item3 && !x.RetrySafe,
                  "NULL error, status " + t.Item1 + " -> " + x.GetType().Name + " " + x.Kind + "/" + x.Status);
        }
    }

    private static readonly string Alphabet = "abcçdefgğhıijklmnoöprsştuüvyzABCÇĞİÖŞÜ0123456789 .,:&=/€";

    private static string Text(Random rng, int max)
    {
        var sb = new StringBuilder();
        for (int i = rng.Next(max); i > 0; i--) sb.Append(Alphabet[rng.Next(Alphabet.Length)]);
        return sb.ToString();
    }

    private static string Hex(byte[] b) { return string.Concat(b.Select(x => x.ToString("x2"))); }

    private static void Hashes()
    {
        var rng = new Random(20261122);
        bool paymes = true, header = true, signature = true;
        for (int n = 0; n < 200; n++)
        {
            string[] parts = Enumerable.Range(0, rng.Next(9)).Select(_ => Text(rng, 20)).ToArray();
            string secret = Text(rng, 30);
            using (var sha = SHA512.Create())
            {
                string want = Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(string.Concat(parts) + secret)));
                paymes &= OdemeClient.PaymesHash(parts, secret) == want;
            }
            string api = Text(rng, 20), rnd = Text(rng, 12), path = "/" + Text(rng, 20), body = Text(rng, 200);
            using (var mac = new HMACSHA256(Encoding.UTF8.GetBytes(secret)))
            {
                string sig = Hex(mac.ComputeHash(Encoding.UTF8.GetBytes(rnd + path + body)));
                string want = "IYZWSv2 " + Convert.ToBase64String(Encoding.UTF8.GetBytes("apiKey:" + api + "&randomKey:" + rnd + "&signature:" + sig));
                header &= OdemeClient.IyzicoAuthHeader(api, secret, rnd, path, Encoding.UTF8.GetBytes(body)) == want;
                string[] fields = Enumerable.Range(0, rng.Next(8)).Select(_ => Text(rng, 12)).ToArray();
                signature &= OdemeClient.IyzicoSignature(secret, fields) == Hex(mac.ComputeHash(Encoding.UTF8.GetBytes(string.Join(":", fields))));
            }
        }
        Check(paymes, "paymes hash equals SHA512");
        Check(header, "IYZWSv2 equals HMACSHA256");
        Check(signature, "iyzico signature equals HMACSHA256");
        Check(OdemeClient.PaymesHash(new[] { "123456789", "1050", "TRY", "Ürün İsmi", "Mehmet Yılmaz", "05555555555", "email@example.com", "Örnek adres bilgisi" }, "111111111")
              == "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g==", "paymes seed vector");
        Check(OdemeClient.IyzicoAuthHeader("k", "s", "r", "/p", null).StartsWith("IYZWSv2 "), "null body is an empty body");
    }

    private static void Dispose()
    {
        var c = new OdemeClient(Config());
        c.Dispose();
        c.Dispose();
        try { c.Call("iyzico.retrieve_payment", "{\"paymentId\":\"1\"}"); Check(false, "call after Dispose"); }
        catch (ObjectDisposedException) { Check(true, "ObjectDisposedException after Dispose"); }
    }

    private static void Threads(OdemeClient c)
    {
        int ok = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                string conv = "cs-thread-" + t + "-" + i + "-" + Unique("x");
                var done = c.IyzicoCreatePayment(Iyzico(conv)).Outcome as CompletedOutcome;
                if (done != null && done.ConversationId == conv) Interlocked.Increment(ref ok);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Check(ok == 1600, "8 threads x 200 calls, every reply matches its request (" + ok + ")");
    }

    // ---- webhooks and the payment journal (issue 13) ----------------------------------------

    private static void WebhooksAndJournal()
    {
        // iyzico/iyzipay-php samples/webhook_Signature_Validation.php: direct API body, secret, header.
        const string secret = "sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs";
        const string sig = "92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae";
        byte[] body = Encoding.UTF8.GetBytes("{\"paymentConversationId\":\"conversationId\",\"merchantId\":3382172,\"paymentId\":22484059,"
            + "\"status\":\"SUCCESS\",\"iyziReferenceCode\":\"a9af8e6b-4401-4928-b6b8-40419aaa3d0f\","
            + "\"iyziEventType\":\"API_AUTH\",\"iyziEventTime\":1721825828467,\"iyziPaymentId\":22484059}");
        using (var p = new OdemeClient("{\"iyzico\":{\"api_key\":\"k\",\"secret_key\":\"" + secret + "\"}}"))
        {
            string r = p.VerifyWebhook("iyzico", new Dictionary<string, string> { { "x-iyz-signature-v3", sig } }, body);
            Check(Get(r, "operation") == "webhook.iyzico" && Get(r, "type") == "notification" && Get(r, "state") == "paid"
                  && Get(r, "payment_id") == "22484059" && Get(r, "order_id") == "conversationId" && Get(r, "duplicate") == "false",
                  "published iyzico webhook verifies: " + r);
            byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("SUCCESS", "FAILURE"));
            Raises<SignatureException>(() => p.VerifyWebhook("iyzico", new Dictionary<string, string> { { "X-IYZ-SIGNATURE-V3", sig } }, tampered),
                "signature", 23);
            var e = Raises<SignatureException>(() => p.VerifyWebhook("iyzico", new Dictionary<string, string>(), body), "signature", 23);
            Check(e != null && e.Message.Contains("X-IYZ-SIGNATURE-V3") && e.Operation == "webhook.iyzico", "missing header named");
            Check(e != null && e.Provider == "iyzico", "a webhook error names its provider: " + (e == null ? null : e.Provider));
            Raises<ConfigException>(() => p.Pending(), "config", 3);
            Raises<ConfigException>(() => p.Reconcile(), "config", 3);
        }

        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "odeme-cs-journal-" + Unique("j"));
        System.IO.Directory.CreateDirectory(dir);
        string cfg = Config();
        cfg = cfg.Substring(0, cfg.LastIndexOf('}')) + ",\"journal\":{\"path\":\"" + System.IO.Path.Combine(dir, "j.sqlite3") + "\"}}";
        using (var c = new OdemeClient(cfg))
        {
            Check(c.Pending() == "[]", "empty journal");
            string order = Unique("cs-drop");
            Raises<OutcomeUnknownException>(() => c.PaymesCreateOrder(Paymes(order, "sim:drop")), "outcome_unknown", 11);
            string pending = c.Pending();
            Check(Get(pending, "reference") == order && Get(pending, "state") == "outcome_unknown", "pending lists the lost order: " + pending);
            Check(Get(c.Reconcile(), "state") == "needs_manual_check", "Paymes has no query: needs_manual_check");
            var refused = Raises<InvalidRequestException>(() => c.PaymesCreateOrder(Paymes(order)), "invalid_request", 2);
            Check(refused != null && refused.Field == "orderId", "resend refused naming orderId");
            string d = Visit(sim + "/__sim/webhook/paymes/" + order);
            var headers = new Dictionary<string, string> { { "Content-Type", Get(d, "Content-Type") } };
            byte[] form = Encoding.UTF8.GetBytes(Get(d, "body"));
            Check(Get(c.VerifyWebhook("paymes", headers, form), "duplicate") == "false", "first delivery");
            Check(c.Pending() == "[]", "the webhook resolved the row");
            Check(Get(c.VerifyWebhook("paymes", headers, form), "duplicate") == "true", "same delivery again: duplicate");
        }
    }

    private static int Main()
    {
        sim = Environment.GetEnvironmentVariable("ODEME_SIM_URL");
        if (string.IsNullOrEmpty(sim)) { Console.Error.WriteLine("set ODEME_SIM_URL (run through scripts/with-sim)"); return 2; }
        Check(OdemeClient.Version.Split('.').Length == 3, "version");
        using (var c = new OdemeClient(Config()))
        {
            Operations(c);
            Registry(c);
            Typed(c);
            Errors(c);
            Reconcile(c);
            Refunds(c);
            PreauthAndCards(c);
            Accessors(c);
            Hashes();
            Dispose();
            Threads(c);
        }
        WebhooksAndJournal();
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
