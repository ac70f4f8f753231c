using System.Runtime.Serialization;

namespace Odeme
{
    /// <summary>
    /// One operation libodeme declares (<see cref="OdemeClient.Operations"/>): its name
    /// ("iyzico.create_payment"), provider, send policy and reconciliation.
    /// </summary>
    [DataContract]
    public sealed class OperationInfo
    {
        [DataMember(Name = "name")] private string name;
        [DataMember(Name = "provider")] private string provider;
        [DataMember(Name = "sends")] private string sends;
        [DataMember(Name = "reconcile_with")] private string reconcileWith;
        [DataMember(Name = "reconcile_by")] private string reconcileBy;

        private OperationInfo() { }

        /// <summary>"provider.verb", e.g. "iyzico.create_payment".</summary>
        public string Name { get { return name; } }
        /// <summary>"iyzico", "paymes", "paymago" or "esnekpos".</summary>
        public string Provider { get { return provider; } }
        /// <summary>"at_most_once" (never resent), "retryable" (a read) or "local" (no I/O).</summary>
        public string Sends { get { return sends; } }
        /// <summary>The operation that answers an outcome_unknown of this one, or null.</summary>
        public string ReconcileWith { get { return reconcileWith; } }
        /// <summary>The request field that identifies the payment to ReconcileWith, or null.</summary>
        public string ReconcileBy { get { return reconcileBy; } }

        public override string ToString() { return name; }
    }
}
