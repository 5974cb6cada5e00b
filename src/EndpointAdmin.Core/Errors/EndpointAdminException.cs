using System;

namespace EndpointAdmin.Errors
{
    /// <summary>
    /// A failure the core reports to the cmdlet layer: a stable ErrorId, its kind and the offending
    /// value, which the cmdlet turns into an ErrorRecord without losing any of the three.
    /// </summary>
    internal sealed class EndpointAdminException : Exception
    {
        public EndpointAdminException(string errorId, ErrorKind kind, object target, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        /// <summary>The value that caused the failure (becomes ErrorRecord.TargetObject).</summary>
        public object Target { get; }

        /// <summary>What the user can do about it, if the core knows (becomes ErrorDetails.RecommendedAction).</summary>
        public string RecommendedAction { get; set; }

        /// <summary>For failures a manager answered: its own message (redacted), for ErrorDetails.</summary>
        public string ServerMessage { get; set; }

        /// <summary>For failures a manager answered: the HTTP status; 0 otherwise.</summary>
        public int StatusCode { get; set; }
    }
}
