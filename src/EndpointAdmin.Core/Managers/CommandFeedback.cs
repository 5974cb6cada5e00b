using System;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// What a provider may tell the user while it works (a warning, a verbose line), written by the
    /// cmdlet on its own thread: the provider calls it synchronously from the cmdlet's call.
    /// </summary>
    internal sealed class CommandFeedback
    {
        private readonly Action<string> _warning;
        private readonly Action<string> _verbose;

        public CommandFeedback(Action<string> warning, Action<string> verbose)
        {
            _warning = warning;
            _verbose = verbose;
        }

        public void Warning(string text) => _warning(text);

        public void Verbose(string text) => _verbose(text);
    }
}
