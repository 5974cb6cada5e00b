using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EndpointAdmin.Simulators
{
    /// <summary>
    /// What every manager simulator stands on: Kestrel on 127.0.0.1 (a free port), HTTPS with a fresh
    /// self-signed certificate, one request handler, and a bounded stop.
    /// </summary>
    public sealed class LoopbackHttpsServer : IDisposable
    {
        private readonly WebApplication _app;

        public LoopbackHttpsServer(RequestDelegate handle, string subject = "CN=EndpointAdmin simulator")
        {
            Certificate = SelfSignedCertificate.Create(subject);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));
            _app = builder.Build();
            _app.Run(handle);
        }

        /// <summary>https://127.0.0.1:port, known once Start has run.</summary>
        public string Uri { get; private set; }

        public X509Certificate2 Certificate { get; }

        public void Start()
        {
            _app.StartAsync().GetAwaiter().GetResult();
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
            Uri = "https://127.0.0.1:" + new Uri(address).Port;
        }

        public void Dispose()
        {
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                _app.StopAsync(stop.Token).GetAwaiter().GetResult();
            }

            ((IDisposable)_app).Dispose();
            Certificate.Dispose();
        }
    }
}
