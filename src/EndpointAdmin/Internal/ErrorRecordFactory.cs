using System.Management.Automation;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Internal
{
    /// <summary>
    /// Turns the core's failures into ErrorRecords. The one place where an ErrorKind becomes an
    /// ErrorCategory, so every cmdlet reports the same failure the same way.
    /// </summary>
    internal static class ErrorRecordFactory
    {
        public static ErrorRecord Create(EndpointAdminException ex)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, ToCategory(ex.Kind), ex.Target);
            // ErrorDetails carries the manager's own message (inside ex.Message) and what to do about it.
            if (!string.IsNullOrEmpty(ex.RecommendedAction) || !string.IsNullOrEmpty(ex.ServerMessage))
            {
                record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction };
            }

            return record;
        }

        public static ErrorCategory ToCategory(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case ErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case ErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case ErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case ErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case ErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case ErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case ErrorKind.OperationStopped: return ErrorCategory.OperationStopped;
                case ErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case ErrorKind.ProtocolError: return ErrorCategory.ProtocolError;
                case ErrorKind.NotInstalled: return ErrorCategory.NotInstalled;
                case ErrorKind.NotSupported: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
