// odeme from C#: an iyzico payment against the simulator, a declined card, and an
// outcome-unknown payment reconciled by querying.
//   scripts/test-dotnet builds and runs it (mcs + mono); see bindings/dotnet/README.md.
using System;
using Odeme;

internal static class CreatePayment
{
    private static string Payment(string order, string card, string product)
    {
        return "{\"conversationId\":\"" + order + "\",\"price\":\"149.90\",\"paidPrice\":\"149.90\",\"installment\":1," +
            "\"paymentCard\":{\"cardHolderName\":\"Ayşe Yılmaz\",\"cardNumber\":\"" + card + "\",\"expireMonth\":\"12\",\"expireYear\":\"2030\",\"cvc\":\"123\"}," +
            "\"buyer\":{\"id\":\"B1\",\"name\":\"Ayşe\",\"surname\":\"Yılmaz\",\"identityNumber\":\"11111111110\",\"email\":\"ayse@example.com\"," +
            "\"registrationAddress\":\"Kadıköy\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"ip\":\"85.34.78.112\"}," +
            "\"billingAddress\":{\"contactName\":\"Ayşe Yılmaz\",\"city\":\"Istanbul\",\"country\":\"Turkey\",\"address\":\"Kadıköy\"}," +
            "\"basketItems\":[{\"id\":\"SKU-1\",\"name\":\"" + product + "\",\"category1\":\"Books\",\"itemType\":\"VIRTUAL\",\"price\":\"149.90\"}]}";
    }

    private static int Main()
    {
        string sim = Environment.GetEnvironmentVariable("ODEME_SIM_URL") ?? "http://127.0.0.1:8080";
        string config = "{\"allow_http\":true,\"timeout_ms\":1500,\"iyzico\":{\"api_key\":\"sim-iyzico-api-key\"," +
                        "\"secret_key\":\"sim-iyzico-secret-key\",\"base_url\":\"" + sim + "\"}}";
        bool ok = true;
        Console.WriteLine("libodeme " + OdemeClient.Version);
        using (var client = new OdemeClient(config))
        {
            OdemeResponse payment = client.IyzicoCreatePayment(Payment("bo-1001", "5528790000000008", "Kitap"));
            var done = payment.Outcome as CompletedOutcome;   // or ReviewOutcome: held for fraud review, do not ship
            if (done == null) { Console.WriteLine("not completed: " + payment.Outcome.Type); return 1; }
            Console.WriteLine("payment: " + done.PaymentId + " paid " + done.PaidPrice + " " + done.Currency);
            try
            {
                client.IyzicoCreatePayment(Payment("bo-1002", "4111111111111129", "Kitap"));
                ok = false;
            }
            catch (DeclinedException e)
            {
                Console.WriteLine("declined: " + e.ProviderCode + " " + e.ProviderMessage + " -> ask for another card");
            }
            try
            {
                client.IyzicoCreatePayment(Payment("bo-1003", "5528790000000008", "sim:delay"));
                ok = false;
            }
            catch (OutcomeUnknownException e)
            {
                Console.WriteLine("outcome unknown: " + e.Message);
                // Never resend blindly: ask the provider with the declared reconciliation
                // (iyzico.payment_details for iyzico.create_payment) and the exact request odeme built.
                string q = client.Call(e.ReconcileWith, e.ReconcileRequestJson);
                bool paid = q.Contains("\"state\":\"paid\"");
                Console.WriteLine("  reconciled with " + e.ReconcileWith + ": bo-1003 is " + (paid ? "paid" : "not paid"));
                ok = ok && paid;
            }
        }
        return ok ? 0 : 1;
    }
}
