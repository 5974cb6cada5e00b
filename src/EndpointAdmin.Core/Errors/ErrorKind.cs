namespace EndpointAdmin.Errors
{
    /// <summary>
    /// The kind of a failure, named after the PowerShell ErrorCategory it becomes. The core cannot
    /// see ErrorCategory (it knows nothing of PowerShell); the cmdlet layer maps this in one place.
    /// </summary>
    internal enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        InvalidOperation,
        NotImplemented,
        PermissionDenied,
        ResourceExists,
        ResourceUnavailable,
        AuthenticationError,
        ConnectionError,
        OperationTimeout,
        LimitsExceeded,
        SecurityError,
    }
}
