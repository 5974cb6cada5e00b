using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace EndpointAdmin.Host
{
    /// <summary>The PSHost behind InProcessPowerShell. Non-interactive by design.</summary>
    internal sealed class InProcessHost : PSHost
    {
        private readonly HostUserInterface _ui;
        private readonly Guid _id = Guid.NewGuid();

        public InProcessHost(int width, bool echo)
        {
            _ui = new HostUserInterface(width, echo);
        }

        public HostUserInterface HostUI => _ui;

        public int? ExitCode { get; private set; }

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
        public override Guid InstanceId => _id;
        public override string Name => "EndpointAdmin.Host";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => typeof(InProcessHost).Assembly.GetName().Version;
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    }
}
