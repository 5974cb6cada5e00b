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
            if (!string.IsNullOrEmpty(ex.RecommendedAction))
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
                case ErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
