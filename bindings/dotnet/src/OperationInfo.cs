using System;
using System.Collections.Generic;
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
        [DataMember(Name = "summary")] private string summary;
        [DataMember(Name = "method")] private string method;
        [DataMember(Name = "path")] private string path;
        [DataMember(Name = "outcome")] private string[] outcome;

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

        /// <summary>One line saying what it does.</summary>
        public string Summary { get { return summary; } }
        /// <summary>The provider call's HTTP method ("POST", "GET"), or null for a local operation.</summary>
        public string Method { get { return method; } }
        /// <summary>The provider call's path ("/payment/auth"), or null for a local operation.</summary>
        public string Path { get { return path; } }
        /// <summary>The outcome types it can answer ("completed", "review", ...).</summary>
        public IReadOnlyList<string> Outcome { get { return Array.AsReadOnly(outcome ?? new string[0]); } }

        public override string ToString() { return name; }
    }
}
