using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using EndpointAdmin.Catalog;
using EndpointAdmin.Completers;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentConnection: can this machine reach an agent's manager (or an agent) — DNS, TCP or
    /// UDP, TLS version, cipher and certificate, a proxy's CONNECT — for many targets at once.
    /// Tests run in parallel in the core, at most ThrottleLimit at a time; results are written here,
    /// on the pipeline thread, as they finish.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentConnection", DefaultParameterSetName = PortSet)]
    [OutputType(typeof(ConnectionTestResult))]
    [OutputType(typeof(bool))]
    public sealed class TestAgentConnectionCommand : DiagnosticsCmdlet
    {
        private const string PortSet = "Port";
        private const string CatalogSet = "Catalog";
        private const string Activity = "Test-AgentConnection";
        private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(250);

        private BoundedRunner<ConnectionRequest, ConnectionTestResult> _runner;
        private ConnectionTester _tester;
        private DeepSecurityAgentTls _agent;
        private NetworkCredential _proxyCredential;
        private TimeSpan _timeout;
        private int _written;
        private DateTime _started;

        /// <summary>Names or addresses to test. Takes strings and objects with a ComputerName (or DNSHostName) property from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CN", "DNSHostName")]
        [AllowEmptyString]
        public string[] ComputerName { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PortSet)]
        public int[] Port { get; set; }

        /// <summary>TCP (default) or UDP; with -Product, only the catalog's ports of this protocol.</summary>
        [Parameter]
        public Protocol? Protocol { get; set; }

        /// <summary>Takes the ports from the catalog: the inbound ports of this product's components.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CatalogSet)]
        public Product Product { get; set; }

        [Parameter(ParameterSetName = CatalogSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogComponentCompleter))]
        public string[] Component { get; set; }

        [Parameter(ParameterSetName = CatalogSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogVersionCompleter))]
        public string Version { get; set; }

        [Parameter]
        public SwitchParameter Tls { get; set; }

        /// <summary>A Deep Security Agent version (9.5, 9.6, 10.0): checks that the target accepts what that agent offers. Implies -Tls.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AgentVersion { get; set; }

        [Parameter]
        public Uri Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential ProxyCredential { get; set; }

        [Parameter]
        public double TimeoutSec { get; set; } = 3;

        [Parameter]
        public int ThrottleLimit { get; set; } = 32;

        /// <summary>Writes only True or False per target and port (True when Reachable).</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override string PortInvalidErrorId => ErrorIds.ConnectionTestPortInvalid;

        protected override void BeginProcessing()
        {
            Must(() =>
            {
                _timeout = DiagnosticsInput.CheckTimeout(TimeoutSec);
                DiagnosticsInput.CheckThrottleLimit(ThrottleLimit);
                DiagnosticsInput.CheckProxy(Proxy);
                if (ProxyCredential != null && Proxy == null)
                {
                    throw new EndpointAdminException(ErrorIds.ConnectionTestProxyInvalid, ErrorKind.InvalidArgument, ProxyCredential.UserName, "-ProxyCredential needs -Proxy.");
                }

                if (AgentVersion != null)
                {
                    _agent = DeepSecurityAgentTls.Find(AgentVersion);
                }

                bool tcpOnly = Tls.IsPresent || _agent != null || Proxy != null;
                if (tcpOnly && Protocol == EndpointAdmin.Protocol.UDP)
                {
                    throw new EndpointAdminException(ErrorIds.ConnectionTestOptionNotForUdp, ErrorKind.InvalidArgument, "UDP", "-Tls, -AgentVersion and -Proxy work over TCP only; UDP has no handshake and cannot pass an HTTP proxy.");
                }

                if (ParameterSetName == CatalogSet)
                {
                    LoadCatalogPorts(tcpOnly);
                }
                else
                {
                    foreach (var port in Port)
                    {
                        AddPort(port, Protocol ?? EndpointAdmin.Protocol.TCP);
                    }
                }
            });

            _proxyCredential = ProxyCredential?.GetNetworkCredential();
            _tester = new ConnectionTester();
            _runner = new BoundedRunner<ConnectionRequest, ConnectionTestResult>(ThrottleLimit, (request, token) => _tester.TestAsync(request, token));
            Cancel.Register(_runner.Cancel);
            _started = DateTime.UtcNow;
        }

        protected override void ProcessRecord()
        {
            foreach (var name in ComputerName ?? new string[0])
            {
                if (!Try(() => DiagnosticsInput.CheckComputerName(name)))
                {
                    continue;
                }

                foreach (var port in Ports)
                {
                    _runner.Add(new ConnectionRequest
                    {
                        ComputerName = name.Trim(),
                        Port = port.Key,
                        Protocol = port.Value,
                        Tls = Tls.IsPresent,
                        Agent = _agent,
                        Proxy = Proxy,
                        ProxyCredential = _proxyCredential,
                        Timeout = _timeout,
                    });
                }
            }

            // Results that are already in go out now, so a long pipeline streams.
            while (_runner.TryTake(out var request, out var result, out var error))
            {
                Write(request, result, error);
            }
        }

        protected override void EndProcessing()
        {
            _runner.Complete();
            // After Ctrl+C the runner's TryTake throws OperationCanceledException, and Must stops the pipeline.
            Must(() =>
            {
                while (true)
                {
                    if (_runner.TryTake(DrainInterval, out var request, out var result, out var error, out var finished))
                    {
                        Write(request, result, error);
                    }
                    else if (finished)
                    {
                        break;
                    }
                }
            });
            CompleteProgress(1, Activity);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Tested {0} target/port pair(s) in {1:0.00} s, at most {2} at once (-ThrottleLimit {3}).", _runner.Added, (DateTime.UtcNow - _started).TotalSeconds, _runner.PeakInFlight, ThrottleLimit));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _runner?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Write(ConnectionRequest request, ConnectionTestResult result, Exception error)
        {
            _written++;
            if (error != null)
            {
                WriteError(new EndpointAdminException(ErrorIds.ConnectionTestFailed, ErrorKind.InvalidOperation, request.ComputerName, "Testing " + request.ComputerName + ":" + request.Port + " failed: " + error.Message, error));
            }
            else
            {
                foreach (var warning in result.Warnings)
                {
                    WriteWarning(warning);
                }

                WriteVerbose(result.ComputerName + " " + result.Protocol + "/" + result.Port + ": " + result.Status + (result.Detail == null ? string.Empty : " - " + result.Detail));
                if (Quiet.IsPresent)
                {
                    WriteObject(result.Reachable);
                }
                else
                {
                    WriteObject(result);
                }
            }

            int total = Math.Max(_runner.Added, 1);
            WriteProgress(new ProgressRecord(1, Activity, string.Format(CultureInfo.InvariantCulture, "{0} of {1} tested", _written, _runner.Added))
            {
                PercentComplete = Math.Min(100, _written * 100 / total),
                CurrentOperation = request.ComputerName + ":" + request.Port,
            });
        }

        private void LoadCatalogPorts(bool tcpOnly)
        {
            var query = new PortQuery
            {
                Products = new[] { Product },
                Version = Version,
                Components = Component?.Select(NamePattern.Literal).ToList(),
                Direction = EndpointAdmin.Direction.Inbound,
            };
            var found = PortCatalog.Default.Find(query);
            if (found.Errors.Count > 0)
            {
                throw found.Errors[0];
            }

            foreach (var row in found.Requirements)
            {
                if (Protocol.HasValue && row.Protocol != Protocol.Value)
                {
                    continue;
                }

                if (tcpOnly && row.Protocol != EndpointAdmin.Protocol.TCP)
                {
                    WriteVerbose("Skipping " + row.Protocol + "/" + row.Port + " of " + row.Component + ": -Tls, -AgentVersion and -Proxy work over TCP only.");
                    continue;
                }

                AddPort(row.Port, row.Protocol);
            }

            if (Ports.Count == 0)
            {
                var what = Product + (Component == null ? string.Empty : " " + string.Join(", ", Component)) + (Version == null ? string.Empty : " " + Version);
                throw new EndpointAdminException(ErrorIds.ConnectionTestNoCatalogPorts, ErrorKind.ObjectNotFound, what, "The port catalog lists no inbound " + (Protocol?.ToString() ?? (tcpOnly ? "TCP" : string.Empty)) + " port for " + what + ".")
                {
                    RecommendedAction = "Run Get-AgentPortRequirement -Product " + Product + " -Direction Inbound to see what the catalog lists, or give -Port.",
                };
            }

            WriteVerbose("Ports from the catalog for " + Product + ": " + string.Join(", ", Ports.Select(p => p.Value + "/" + p.Key)) + ".");
        }
    }
}
