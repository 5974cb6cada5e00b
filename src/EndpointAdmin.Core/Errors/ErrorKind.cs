namespace EndpointAdmin.Errors
{
    /// <summary>
    /// The kind of a failure, named after the PowerShell ErrorCategory it becomes. The core cannot
    /// see ErrorCategory (it knows nothing of PowerShell); the cmdlet layer maps this in one place
    /// (ErrorRecordFactory), so a new kind is added here and there together.
    /// </summary>
    internal enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        PermissionDenied,
        AuthenticationError,
        SecurityError,
        ConnectionError,
        OperationTimeout,
        OperationStopped,
        LimitsExceeded,
        ProtocolError,
        NotInstalled,
        /// <summary>The product or platform offers no way to do this (becomes NotImplemented).</summary>
        NotSupported,
    }
}
