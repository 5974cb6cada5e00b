using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace EndpointAdmin.Host
{
    /// <summary>
    /// A non-interactive host UI: everything written to the host (Out-Default's rendered tables,
    /// Write-Host) is kept as text and optionally echoed; any attempt to prompt fails loudly,
    /// because unattended runs must never wait for input.
    /// </summary>
    internal sealed class HostUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _text = new StringBuilder();
        private readonly HostRawUserInterface _rawUi;
        private readonly bool _echo;

        public HostUserInterface(int width, bool echo)
        {
            _rawUi = new HostRawUserInterface(width);
            _echo = echo;
        }

        public override PSHostRawUserInterface RawUI => _rawUi;

        public string Text
        {
            get { lock (_text) { return _text.ToString(); } }
        }

        public void Clear()
        {
            lock (_text) { _text.Clear(); }
        }

        /// <summary>
        /// Strip ANSI decorations. The engine styles table headers even when
        /// $PSStyle.OutputRendering is PlainText (a custom host cannot opt out), so it is done here.
        /// </summary>
        public bool PlainText { get; set; }

        private static readonly Regex s_ansi = new Regex("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled);

        private void Append(string value, bool toError = false)
        {
            if (PlainText && value != null && value.IndexOf('\u001b') >= 0)
            {
                value = s_ansi.Replace(value, string.Empty);
            }

            lock (_text) { _text.Append(value); }
            if (_echo)
            {
                (toError ? Console.Error : Console.Out).Write(value);
            }
        }

        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + Environment.NewLine);
        public override void WriteErrorLine(string value) => Append(value + Environment.NewLine, toError: true);
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + Environment.NewLine, toError: true);
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + Environment.NewLine, toError: true);
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + Environment.NewLine, toError: true);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            => throw new HostPromptException(caption + " " + message);
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            => throw new HostPromptException(caption + " " + message);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
            => throw new HostPromptException(caption + " " + message);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            => throw new HostPromptException(caption + " " + message);
        public override string ReadLine() => throw new HostPromptException("ReadLine");
        public override SecureString ReadLineAsSecureString() => throw new HostPromptException("ReadLineAsSecureString");
    }

    /// <summary>Raised when a command tries to prompt in this non-interactive host.</summary>
    public sealed class HostPromptException : HostException
    {
        public HostPromptException(string prompt)
            : base("The host is non-interactive and cannot prompt: " + prompt.Trim())
        {
        }
    }
}
