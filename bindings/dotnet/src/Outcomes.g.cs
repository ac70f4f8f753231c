// GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with
// ODEME_BLESS=1 cargo test -p odeme --test generated
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Odeme
{
    [DataContract]
    internal sealed class OutcomeWire
    {
        [DataMember(Name = "type")] internal string @type;
        [DataMember(Name = "url")] internal string @url;
        [DataMember(Name = "order_id")] internal string @order_id;
        [DataMember(Name = "provider_order_id")] internal string @provider_order_id;
        [DataMember(Name = "html")] internal string @html;
        [DataMember(Name = "payment_id")] internal string @payment_id;
        [DataMember(Name = "invoice_code")] internal string @invoice_code;
        [DataMember(Name = "request_id")] internal string @request_id;
        [DataMember(Name = "conversation_id")] internal string @conversation_id;
        [DataMember(Name = "basket_id")] internal string @basket_id;
        [DataMember(Name = "price")] internal string @price;
        [DataMember(Name = "paid_price")] internal string @paid_price;
        [DataMember(Name = "currency")] internal string @currency;
        [DataMember(Name = "installment")] internal string @installment;
        [DataMember(Name = "fraud_status")] internal string @fraud_status;
        [DataMember(Name = "bin_number")] internal string @bin_number;
        [DataMember(Name = "last_four_digits")] internal string @last_four_digits;
        [DataMember(Name = "card_association")] internal string @card_association;
        [DataMember(Name = "card_family")] internal string @card_family;
        [DataMember(Name = "card_type")] internal string @card_type;
        [DataMember(Name = "auth_code")] internal string @auth_code;
        [DataMember(Name = "item_transactions")] internal List<ItemTransactionWire> @item_transactions;
        [DataMember(Name = "card_user_key")] internal string @card_user_key;
        [DataMember(Name = "card_token")] internal string @card_token;
        [DataMember(Name = "alias")] internal string @alias;
        [DataMember(Name = "bin")] internal string @bin;
        [DataMember(Name = "last_four")] internal string @last_four;
        [DataMember(Name = "association")] internal string @association;
        [DataMember(Name = "family")] internal string @family;
        [DataMember(Name = "bank_name")] internal string @bank_name;
        [DataMember(Name = "cards")] internal List<StoredCardWire> @cards;
        [DataMember(Name = "state")] internal string @state;
        [DataMember(Name = "amount")] internal string @amount;
        [DataMember(Name = "message")] internal string @message;
        [DataMember(Name = "refunds")] internal List<RefundEntryWire> @refunds;
        [DataMember(Name = "cancelled")] internal bool? @cancelled;
        [DataMember(Name = "payments")] internal List<ReportedPaymentWire> @payments;
        [DataMember(Name = "provider")] internal string @provider;
        [DataMember(Name = "event")] internal string @event;
        [DataMember(Name = "subject")] internal string @subject;
        [DataMember(Name = "duplicate")] internal bool? @duplicate;
        [DataMember(Name = "refund_id")] internal string @refund_id;
        [DataMember(Name = "md_status")] internal string @md_status;
        [DataMember(Name = "conversation_data")] internal string @conversation_data;
        [DataMember(Name = "token")] internal string @token;
        [DataMember(Name = "commercial")] internal bool? @commercial;
        [DataMember(Name = "options")] internal List<InstallmentOptionWire> @options;
    }

    [DataContract]
    internal sealed class ItemTransactionWire
    {
        [DataMember(Name = "item_id")] internal string @item_id;
        [DataMember(Name = "payment_transaction_id")] internal string @payment_transaction_id;
        [DataMember(Name = "price")] internal string @price;
        [DataMember(Name = "paid_price")] internal string @paid_price;
    }

    [DataContract]
    internal sealed class RefundEntryWire
    {
        [DataMember(Name = "amount")] internal string @amount;
        [DataMember(Name = "currency")] internal string @currency;
        [DataMember(Name = "refund_id")] internal string @refund_id;
        [DataMember(Name = "date")] internal string @date;
    }

    [DataContract]
    internal sealed class ReportedPaymentWire
    {
        [DataMember(Name = "payment_id")] internal string @payment_id;
        [DataMember(Name = "state")] internal string @state;
        [DataMember(Name = "paid_price")] internal string @paid_price;
        [DataMember(Name = "currency")] internal string @currency;
        [DataMember(Name = "refunds")] internal List<RefundEntryWire> @refunds;
        [DataMember(Name = "cancelled")] internal bool? @cancelled;
        [DataMember(Name = "transaction_id")] internal string @transaction_id;
        [DataMember(Name = "message")] internal string @message;
    }

    [DataContract]
    internal sealed class InstallmentOptionWire
    {
        [DataMember(Name = "bin")] internal string @bin;
        [DataMember(Name = "bank_name")] internal string @bank_name;
        [DataMember(Name = "family")] internal string @family;
        [DataMember(Name = "card_type")] internal string @card_type;
        [DataMember(Name = "association")] internal string @association;
        [DataMember(Name = "installments")] internal List<InstallmentPriceWire> @installments;
    }

    [DataContract]
    internal sealed class StoredCardWire
    {
        [DataMember(Name = "card_user_key")] internal string @card_user_key;
        [DataMember(Name = "card_token")] internal string @card_token;
        [DataMember(Name = "alias")] internal string @alias;
        [DataMember(Name = "bin")] internal string @bin;
        [DataMember(Name = "last_four")] internal string @last_four;
        [DataMember(Name = "card_type")] internal string @card_type;
        [DataMember(Name = "association")] internal string @association;
        [DataMember(Name = "family")] internal string @family;
        [DataMember(Name = "bank_name")] internal string @bank_name;
    }

    [DataContract]
    internal sealed class InstallmentPriceWire
    {
        [DataMember(Name = "count")] internal long? @count;
        [DataMember(Name = "total_price")] internal string @total_price;
        [DataMember(Name = "installment_price")] internal string @installment_price;
    }

    /// <summary>One basket line of a payment; keep payment_transaction_id for refunds.</summary>
    public sealed class ItemTransaction
    {
        internal ItemTransaction(ItemTransactionWire w)
        {
            ItemId = w.@item_id;
            PaymentTransactionId = w.@payment_transaction_id;
            Price = w.@price;
            PaidPrice = w.@paid_price;
        }

        /// <summary>May be null.</summary>
        public string ItemId { get; private set; }

        /// <summary>May be null.</summary>
        public string PaymentTransactionId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string Price { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string PaidPrice { get; private set; }
    }

    /// <summary>Money that went back to the payer.</summary>
    public sealed class RefundEntry
    {
        internal RefundEntry(RefundEntryWire w)
        {
            Amount = w.@amount ?? throw Wire.Missing("amount");
            Currency = w.@currency;
            RefundId = w.@refund_id;
            Date = w.@date;
        }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string Amount { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string RefundId { get; private set; }

        /// <summary>May be null.</summary>
        public string Date { get; private set; }
    }

    /// <summary>One payment of several under one reference, or of a payment link.</summary>
    public sealed class ReportedPayment
    {
        internal ReportedPayment(ReportedPaymentWire w)
        {
            PaymentId = w.@payment_id ?? throw Wire.Missing("payment_id");
            State = w.@state ?? throw Wire.Missing("state");
            PaidPrice = w.@paid_price;
            Currency = w.@currency;
            Refunds = w.@refunds == null ? throw Wire.Missing("refunds") : w.@refunds.ConvertAll(x => new RefundEntry(x)).AsReadOnly();
            Cancelled = w.@cancelled ?? throw Wire.Missing("cancelled");
            TransactionId = w.@transaction_id;
            Message = w.@message;
        }

        public string PaymentId { get; private set; }

        /// <summary>One of: paid, pending, failed, cancelled, refunded, partially_refunded, not_found, needs_attention, refund_failed, unknown, authorized.</summary>
        public string State { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string PaidPrice { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        public IReadOnlyList<RefundEntry> Refunds { get; private set; }

        public bool Cancelled { get; private set; }

        /// <summary>May be null.</summary>
        public string TransactionId { get; private set; }

        /// <summary>May be null.</summary>
        public string Message { get; private set; }
    }

    /// <summary>The installments one card family offers.</summary>
    public sealed class InstallmentOption
    {
        internal InstallmentOption(InstallmentOptionWire w)
        {
            Bin = w.@bin;
            BankName = w.@bank_name;
            Family = w.@family;
            CardType = w.@card_type;
            Association = w.@association;
            Installments = w.@installments == null ? throw Wire.Missing("installments") : w.@installments.ConvertAll(x => new InstallmentPriceInfo(x)).AsReadOnly();
        }

        /// <summary>May be null.</summary>
        public string Bin { get; private set; }

        /// <summary>May be null.</summary>
        public string BankName { get; private set; }

        /// <summary>May be null.</summary>
        public string Family { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string Association { get; private set; }

        public IReadOnlyList<InstallmentPriceInfo> Installments { get; private set; }
    }

    /// <summary>One stored card of a card user.</summary>
    public sealed class StoredCard
    {
        internal StoredCard(StoredCardWire w)
        {
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
            Alias = w.@alias;
            Bin = w.@bin;
            LastFour = w.@last_four;
            CardType = w.@card_type;
            Association = w.@association;
            Family = w.@family;
            BankName = w.@bank_name;
        }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }

        /// <summary>May be null.</summary>
        public string Alias { get; private set; }

        /// <summary>May be null.</summary>
        public string Bin { get; private set; }

        /// <summary>May be null.</summary>
        public string LastFour { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string Association { get; private set; }

        /// <summary>May be null.</summary>
        public string Family { get; private set; }

        /// <summary>May be null.</summary>
        public string BankName { get; private set; }
    }

    /// <summary>One installment count and what the payer pays with it.</summary>
    public sealed class InstallmentPriceInfo
    {
        internal InstallmentPriceInfo(InstallmentPriceWire w)
        {
            Count = w.@count ?? throw Wire.Missing("count");
            TotalPrice = w.@total_price ?? throw Wire.Missing("total_price");
            InstallmentPrice = w.@installment_price ?? throw Wire.Missing("installment_price");
        }

        public long Count { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string TotalPrice { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string InstallmentPrice { get; private set; }
    }

    /// <summary>Send the payer to url (a hosted page or the bank's 3-D Secure page).</summary>
    public sealed class RedirectOutcome : OdemeOutcome
    {
        internal RedirectOutcome(OutcomeWire w) : base("redirect")
        {
            Url = w.@url ?? throw Wire.Missing("url");
            OrderId = w.@order_id;
            ProviderOrderId = w.@provider_order_id;
        }

        public string Url { get; private set; }

        /// <summary>May be null.</summary>
        public string OrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string ProviderOrderId { get; private set; }
    }

    /// <summary>Show html to the payer; keep payment_id (when present) to complete the payment.</summary>
    public sealed class HtmlOutcome : OdemeOutcome
    {
        internal HtmlOutcome(OutcomeWire w) : base("html")
        {
            Html = w.@html ?? throw Wire.Missing("html");
            OrderId = w.@order_id;
            ProviderOrderId = w.@provider_order_id;
            PaymentId = w.@payment_id;
        }

        public string Html { get; private set; }

        /// <summary>May be null.</summary>
        public string OrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string ProviderOrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string PaymentId { get; private set; }
    }

    /// <summary>Pay at a terminal with invoice_code (Paymes kiosk).</summary>
    public sealed class TerminalOutcome : OdemeOutcome
    {
        internal TerminalOutcome(OutcomeWire w) : base("terminal")
        {
            InvoiceCode = w.@invoice_code ?? throw Wire.Missing("invoice_code");
            Url = w.@url;
            OrderId = w.@order_id;
            ProviderOrderId = w.@provider_order_id;
        }

        public string InvoiceCode { get; private set; }

        /// <summary>May be null.</summary>
        public string Url { get; private set; }

        /// <summary>May be null.</summary>
        public string OrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string ProviderOrderId { get; private set; }
    }

    /// <summary>A pay-by-link request was sent.</summary>
    public sealed class PaymentLinkOutcome : OdemeOutcome
    {
        internal PaymentLinkOutcome(OutcomeWire w) : base("payment_link")
        {
            Url = w.@url ?? throw Wire.Missing("url");
            RequestId = w.@request_id ?? throw Wire.Missing("request_id");
        }

        public string Url { get; private set; }

        public string RequestId { get; private set; }
    }

    /// <summary>The money moved.</summary>
    public sealed class CompletedOutcome : OdemeOutcome
    {
        internal CompletedOutcome(OutcomeWire w) : base("completed")
        {
            PaymentId = w.@payment_id ?? throw Wire.Missing("payment_id");
            ConversationId = w.@conversation_id;
            BasketId = w.@basket_id;
            Price = w.@price ?? throw Wire.Missing("price");
            PaidPrice = w.@paid_price ?? throw Wire.Missing("paid_price");
            Currency = w.@currency;
            Installment = w.@installment;
            FraudStatus = w.@fraud_status;
            BinNumber = w.@bin_number;
            LastFourDigits = w.@last_four_digits;
            CardAssociation = w.@card_association;
            CardFamily = w.@card_family;
            CardType = w.@card_type;
            AuthCode = w.@auth_code;
            ItemTransactions = w.@item_transactions == null ? throw Wire.Missing("item_transactions") : w.@item_transactions.ConvertAll(x => new ItemTransaction(x)).AsReadOnly();
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
        }

        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string ConversationId { get; private set; }

        /// <summary>May be null.</summary>
        public string BasketId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string Price { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string PaidPrice { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string Installment { get; private set; }

        /// <summary>May be null.</summary>
        public string FraudStatus { get; private set; }

        /// <summary>May be null.</summary>
        public string BinNumber { get; private set; }

        /// <summary>May be null.</summary>
        public string LastFourDigits { get; private set; }

        /// <summary>May be null.</summary>
        public string CardAssociation { get; private set; }

        /// <summary>May be null.</summary>
        public string CardFamily { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string AuthCode { get; private set; }

        public IReadOnlyList<ItemTransaction> ItemTransactions { get; private set; }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }
    }

    /// <summary>Accepted but held for fraud review: do not ship until the provider confirms.</summary>
    public sealed class ReviewOutcome : OdemeOutcome
    {
        internal ReviewOutcome(OutcomeWire w) : base("review")
        {
            PaymentId = w.@payment_id ?? throw Wire.Missing("payment_id");
            ConversationId = w.@conversation_id;
            BasketId = w.@basket_id;
            Price = w.@price ?? throw Wire.Missing("price");
            PaidPrice = w.@paid_price ?? throw Wire.Missing("paid_price");
            Currency = w.@currency;
            Installment = w.@installment;
            FraudStatus = w.@fraud_status;
            BinNumber = w.@bin_number;
            LastFourDigits = w.@last_four_digits;
            CardAssociation = w.@card_association;
            CardFamily = w.@card_family;
            CardType = w.@card_type;
            AuthCode = w.@auth_code;
            ItemTransactions = w.@item_transactions == null ? throw Wire.Missing("item_transactions") : w.@item_transactions.ConvertAll(x => new ItemTransaction(x)).AsReadOnly();
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
        }

        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string ConversationId { get; private set; }

        /// <summary>May be null.</summary>
        public string BasketId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string Price { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string PaidPrice { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string Installment { get; private set; }

        /// <summary>May be null.</summary>
        public string FraudStatus { get; private set; }

        /// <summary>May be null.</summary>
        public string BinNumber { get; private set; }

        /// <summary>May be null.</summary>
        public string LastFourDigits { get; private set; }

        /// <summary>May be null.</summary>
        public string CardAssociation { get; private set; }

        /// <summary>May be null.</summary>
        public string CardFamily { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string AuthCode { get; private set; }

        public IReadOnlyList<ItemTransaction> ItemTransactions { get; private set; }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }
    }

    /// <summary>The bank holds the amount; nothing moved yet: capture it or release it (cancel).</summary>
    public sealed class AuthorizedOutcome : OdemeOutcome
    {
        internal AuthorizedOutcome(OutcomeWire w) : base("authorized")
        {
            PaymentId = w.@payment_id ?? throw Wire.Missing("payment_id");
            ConversationId = w.@conversation_id;
            BasketId = w.@basket_id;
            Price = w.@price ?? throw Wire.Missing("price");
            PaidPrice = w.@paid_price ?? throw Wire.Missing("paid_price");
            Currency = w.@currency;
            Installment = w.@installment;
            FraudStatus = w.@fraud_status;
            BinNumber = w.@bin_number;
            LastFourDigits = w.@last_four_digits;
            CardAssociation = w.@card_association;
            CardFamily = w.@card_family;
            CardType = w.@card_type;
            AuthCode = w.@auth_code;
            ItemTransactions = w.@item_transactions == null ? throw Wire.Missing("item_transactions") : w.@item_transactions.ConvertAll(x => new ItemTransaction(x)).AsReadOnly();
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
        }

        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string ConversationId { get; private set; }

        /// <summary>May be null.</summary>
        public string BasketId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string Price { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string PaidPrice { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string Installment { get; private set; }

        /// <summary>May be null.</summary>
        public string FraudStatus { get; private set; }

        /// <summary>May be null.</summary>
        public string BinNumber { get; private set; }

        /// <summary>May be null.</summary>
        public string LastFourDigits { get; private set; }

        /// <summary>May be null.</summary>
        public string CardAssociation { get; private set; }

        /// <summary>May be null.</summary>
        public string CardFamily { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string AuthCode { get; private set; }

        public IReadOnlyList<ItemTransaction> ItemTransactions { get; private set; }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }
    }

    /// <summary>A card stored with the provider; card_user_key and card_token are bearer credentials.</summary>
    public sealed class CardOutcome : OdemeOutcome
    {
        internal CardOutcome(OutcomeWire w) : base("card")
        {
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
            Alias = w.@alias;
            Bin = w.@bin;
            LastFour = w.@last_four;
            CardType = w.@card_type;
            Association = w.@association;
            Family = w.@family;
            BankName = w.@bank_name;
        }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }

        /// <summary>May be null.</summary>
        public string Alias { get; private set; }

        /// <summary>May be null.</summary>
        public string Bin { get; private set; }

        /// <summary>May be null.</summary>
        public string LastFour { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string Association { get; private set; }

        /// <summary>May be null.</summary>
        public string Family { get; private set; }

        /// <summary>May be null.</summary>
        public string BankName { get; private set; }
    }

    /// <summary>The cards stored for one card user.</summary>
    public sealed class CardsOutcome : OdemeOutcome
    {
        internal CardsOutcome(OutcomeWire w) : base("cards")
        {
            CardUserKey = w.@card_user_key;
            Cards = w.@cards == null ? throw Wire.Missing("cards") : w.@cards.ConvertAll(x => new StoredCard(x)).AsReadOnly();
        }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        public IReadOnlyList<StoredCard> Cards { get; private set; }
    }

    /// <summary>A stored card was deleted.</summary>
    public sealed class CardDeletedOutcome : OdemeOutcome
    {
        internal CardDeletedOutcome(OutcomeWire w) : base("card_deleted")
        {
            CardUserKey = w.@card_user_key;
            CardToken = w.@card_token;
        }

        /// <summary>May be null.</summary>
        public string CardUserKey { get; private set; }

        /// <summary>May be null.</summary>
        public string CardToken { get; private set; }
    }

    /// <summary>The state of an order or payment as a query reports it.</summary>
    public sealed class StatusOutcome : OdemeOutcome
    {
        internal StatusOutcome(OutcomeWire w) : base("status")
        {
            State = w.@state ?? throw Wire.Missing("state");
            OrderId = w.@order_id;
            ProviderOrderId = w.@provider_order_id;
            Amount = w.@amount;
            Currency = w.@currency;
            Message = w.@message;
            PaymentId = w.@payment_id;
            PaidPrice = w.@paid_price;
            Refunds = w.@refunds == null ? null : w.@refunds.ConvertAll(x => new RefundEntry(x)).AsReadOnly();
            Cancelled = w.@cancelled;
            Payments = w.@payments == null ? null : w.@payments.ConvertAll(x => new ReportedPayment(x)).AsReadOnly();
        }

        /// <summary>One of: paid, pending, failed, cancelled, refunded, partially_refunded, not_found, needs_attention, refund_failed, unknown, authorized.</summary>
        public string State { get; private set; }

        /// <summary>May be null.</summary>
        public string OrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string ProviderOrderId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string Amount { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string Message { get; private set; }

        /// <summary>May be null.</summary>
        public string PaymentId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string PaidPrice { get; private set; }

        /// <summary>May be null.</summary>
        public IReadOnlyList<RefundEntry> Refunds { get; private set; }

        /// <summary>May be null.</summary>
        public bool? Cancelled { get; private set; }

        /// <summary>May be null.</summary>
        public IReadOnlyList<ReportedPayment> Payments { get; private set; }
    }

    /// <summary>A notification or webhook whose signature verified.</summary>
    public sealed class NotificationOutcome : OdemeOutcome
    {
        internal NotificationOutcome(OutcomeWire w) : base("notification")
        {
            State = w.@state ?? throw Wire.Missing("state");
            OrderId = w.@order_id;
            ProviderOrderId = w.@provider_order_id;
            Amount = w.@amount;
            Currency = w.@currency;
            Message = w.@message;
            PaymentId = w.@payment_id;
            Provider = w.@provider;
            Event = w.@event;
            Subject = w.@subject;
            Duplicate = w.@duplicate;
        }

        /// <summary>One of: paid, pending, failed, cancelled, refunded, partially_refunded, not_found, needs_attention, refund_failed, unknown, authorized.</summary>
        public string State { get; private set; }

        /// <summary>May be null.</summary>
        public string OrderId { get; private set; }

        /// <summary>May be null.</summary>
        public string ProviderOrderId { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double). May be null.</summary>
        public string Amount { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        /// <summary>May be null.</summary>
        public string Message { get; private set; }

        /// <summary>May be null.</summary>
        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string Provider { get; private set; }

        /// <summary>May be null.</summary>
        public string Event { get; private set; }

        /// <summary>One of: payment, refund. May be null.</summary>
        public string Subject { get; private set; }

        /// <summary>May be null.</summary>
        public bool? Duplicate { get; private set; }
    }

    /// <summary>Money went back to the payer (a refund or a cancel).</summary>
    public sealed class RefundOutcome : OdemeOutcome
    {
        internal RefundOutcome(OutcomeWire w) : base("refund")
        {
            State = w.@state ?? throw Wire.Missing("state");
            Amount = w.@amount ?? throw Wire.Missing("amount");
            Currency = w.@currency;
            PaymentId = w.@payment_id ?? throw Wire.Missing("payment_id");
            RefundId = w.@refund_id;
        }

        /// <summary>One of: paid, pending, failed, cancelled, refunded, partially_refunded, not_found, needs_attention, refund_failed, unknown, authorized.</summary>
        public string State { get; private set; }

        /// <summary>An amount: the exact digits, as a string (never a double).</summary>
        public string Amount { get; private set; }

        /// <summary>May be null.</summary>
        public string Currency { get; private set; }

        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string RefundId { get; private set; }
    }

    /// <summary>A 3-D Secure callback whose signature verified: complete only when authenticated.</summary>
    public sealed class CallbackOutcome : OdemeOutcome
    {
        internal CallbackOutcome(OutcomeWire w) : base("callback")
        {
            State = w.@state ?? throw Wire.Missing("state");
            MdStatus = w.@md_status;
            PaymentId = w.@payment_id;
            ConversationId = w.@conversation_id;
            ConversationData = w.@conversation_data;
        }

        /// <summary>One of: authenticated, failed.</summary>
        public string State { get; private set; }

        /// <summary>May be null.</summary>
        public string MdStatus { get; private set; }

        /// <summary>May be null.</summary>
        public string PaymentId { get; private set; }

        /// <summary>May be null.</summary>
        public string ConversationId { get; private set; }

        /// <summary>May be null.</summary>
        public string ConversationData { get; private set; }
    }

    /// <summary>A hosted payment form was opened.</summary>
    public sealed class CheckoutFormOutcome : OdemeOutcome
    {
        internal CheckoutFormOutcome(OutcomeWire w) : base("checkout_form")
        {
            Token = w.@token ?? throw Wire.Missing("token");
            Url = w.@url;
            Html = w.@html;
        }

        public string Token { get; private set; }

        /// <summary>May be null.</summary>
        public string Url { get; private set; }

        /// <summary>May be null.</summary>
        public string Html { get; private set; }
    }

    /// <summary>What a card's BIN says.</summary>
    public sealed class CardInfoOutcome : OdemeOutcome
    {
        internal CardInfoOutcome(OutcomeWire w) : base("card_info")
        {
            Bin = w.@bin ?? throw Wire.Missing("bin");
            CardType = w.@card_type;
            Association = w.@association;
            Family = w.@family;
            BankName = w.@bank_name;
            Commercial = w.@commercial ?? throw Wire.Missing("commercial");
        }

        public string Bin { get; private set; }

        /// <summary>May be null.</summary>
        public string CardType { get; private set; }

        /// <summary>May be null.</summary>
        public string Association { get; private set; }

        /// <summary>May be null.</summary>
        public string Family { get; private set; }

        /// <summary>May be null.</summary>
        public string BankName { get; private set; }

        public bool Commercial { get; private set; }
    }

    /// <summary>The installment table.</summary>
    public sealed class InstallmentsOutcome : OdemeOutcome
    {
        internal InstallmentsOutcome(OutcomeWire w) : base("installments")
        {
            Options = w.@options == null ? throw Wire.Missing("options") : w.@options.ConvertAll(x => new InstallmentOption(x)).AsReadOnly();
        }

        public IReadOnlyList<InstallmentOption> Options { get; private set; }
    }

    public abstract partial class OdemeOutcome
    {
        /// <summary>The typed outcome of its wire form (an outcome type this binding predates: <see cref="UnknownOutcome"/>).</summary>
        internal static OdemeOutcome From(OutcomeWire w)
        {
            if (w == null) throw Wire.Missing("outcome");
            switch (w.@type)
            {
                case "redirect": return new RedirectOutcome(w);
                case "html": return new HtmlOutcome(w);
                case "terminal": return new TerminalOutcome(w);
                case "payment_link": return new PaymentLinkOutcome(w);
                case "completed": return new CompletedOutcome(w);
                case "review": return new ReviewOutcome(w);
                case "authorized": return new AuthorizedOutcome(w);
                case "card": return new CardOutcome(w);
                case "cards": return new CardsOutcome(w);
                case "card_deleted": return new CardDeletedOutcome(w);
                case "status": return new StatusOutcome(w);
                case "notification": return new NotificationOutcome(w);
                case "refund": return new RefundOutcome(w);
                case "callback": return new CallbackOutcome(w);
                case "checkout_form": return new CheckoutFormOutcome(w);
                case "card_info": return new CardInfoOutcome(w);
                case "installments": return new InstallmentsOutcome(w);
                case null: throw Wire.Missing("outcome.type");
                default: return new UnknownOutcome(w.@type);
            }
        }
    }
}
