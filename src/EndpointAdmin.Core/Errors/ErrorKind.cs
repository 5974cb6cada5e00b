namespace EndpointAdmin.Errors
{
    /// <summary>
    /// The kind of a failure, named after the PowerShell ErrorCategory it becomes. The core cannot
    /// see ErrorCategory (it knows nothing of PowerShell); the cmdlet layer maps this in one place.
    /// </summary>
    internal enum ErrorKind
    {
        // Only the kinds in use; a feature that needs another adds it here and in ErrorRecordFactory.
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
    }
}
