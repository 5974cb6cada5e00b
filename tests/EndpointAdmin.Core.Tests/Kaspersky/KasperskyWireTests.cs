using System;
using EndpointAdmin.Errors;
using EndpointAdmin.Kaspersky;
using Newtonsoft.Json.Linq;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The Open API's typed values, PxgError, filters and headers, as KscWire reads and writes them.</summary>
    public class KasperskyWireTests
    {
        [Fact]
        public void TypedValuesAreReadWrappedOrRaw()
        {
            var host = JObject.Parse(@"{""type"":""params"",""value"":{
                ""KLHST_WKS_LAST_NAGENT_CONNECTED"":{""type"":""datetime"",""value"":""2024-05-01T10:00:00Z""},
                ""KLHST_WKS_IP_LONG"":{""type"":""long"",""value"":167772417},
                ""KLHST_WKS_GROUPID"":4,
                ""KLHST_WKS_KEEP_CONNECTION"":true,
                ""KLHST_WKS_DN"":""web00001"",
                ""KLHST_WKS_LAST_VISIBLE"":null}}");
            var p = KscWire.Params(host);
            var contact = KscWire.DateTime(p["KLHST_WKS_LAST_NAGENT_CONNECTED"]);
            Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), contact);
            Assert.Equal(DateTimeKind.Utc, contact.Value.Kind);
            Assert.Equal(167772417L, KscWire.Long(p["KLHST_WKS_IP_LONG"]));
            Assert.Equal("10.0.1.1", KscWire.IPv4(KscWire.Long(p["KLHST_WKS_IP_LONG"])));
            Assert.Equal(4L, KscWire.Long(p["KLHST_WKS_GROUPID"]));
            Assert.True(KscWire.Bool(p["KLHST_WKS_KEEP_CONNECTION"]));
            Assert.Equal("web00001", KscWire.String(p["KLHST_WKS_DN"]));
            Assert.Null(KscWire.DateTime(p["KLHST_WKS_LAST_VISIBLE"]));
            Assert.Null(KscWire.DateTime(p["missing"]));
            Assert.Null(KscWire.DateTime(JToken.Parse(@"{""type"":""datetime"",""value"":""1970-01-01T00:00:00Z""}"))); // never
            Assert.Equal(JToken.Parse(@"{""type"":""datetime"",""value"":""2024-05-01T10:00:00Z""}").ToString(), KscWire.DateTimeValue(contact.Value).ToString());
        }

        [Fact]
        public void AnUnreadableDatetimeIsAProtocolErrorNamingTheValue()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => KscWire.DateTime(JToken.Parse(@"{""type"":""datetime"",""value"":""yesterday""}")));
            Assert.Equal(ErrorIds.ManagerProtocolError, ex.ErrorId);
            Assert.Equal("yesterday", ex.Target);
        }

        [Theory]
        [InlineData(1184, "PermissionDenied", "ManagerPermissionDenied")]
        [InlineData(1186, "ObjectNotFound", "ManagerObjectNotFound")]
        [InlineData(1125, "ObjectNotFound", "ManagerObjectNotFound")]
        [InlineData(1193, "PermissionDenied", "ManagerPermissionDenied")]
        [InlineData(1195, "ResourceUnavailable", "ManagerUnavailable")]
        [InlineData(1229, "LimitsExceeded", "ManagerRateLimited")]
        [InlineData(1194, "NotSupported", "ManagerOperationNotSupported")]
        [InlineData(1453, "AuthenticationError", "ManagerAuthenticationFailed")]
        [InlineData(2013, "AuthenticationError", "ManagerAuthenticationFailed")]
        [InlineData(77, "InvalidOperation", "KscOperationFailed")]
        public void PxgErrorsMapToOneErrorEachWithTheServersText(int code, string kind, string id)
        {
            var answer = JObject.Parse(@"{""PxgError"":{""code"":" + code + @",""subcode"":0,""module"":""KLSTD"",""message"":""It went wrong"",""locdata"":{""type"":""params"",""value"":{""format"":""%1""}}}}");
            var ex = KscWire.Error(answer, "HostGroup.FindHosts", t => t);
            Assert.Equal(id, ex.ErrorId);
            Assert.Equal(kind, ex.Kind.ToString());
            Assert.Equal("It went wrong", ex.ServerMessage);
            Assert.Equal("HostGroup.FindHosts", ex.Target);
            Assert.Contains("KLSTD " + code, ex.Message);
        }

        [Fact]
        public void ASuccessfulAnswerHasNoError()
        {
            Assert.Null(KscWire.Error(JObject.Parse(@"{""PxgRetVal"":3,""strAccessor"":""a""}"), "HostGroup.FindHosts", t => t));
            var minimal = KscWire.Error(JObject.Parse(@"{""PxgError"":{""code"":1186,""message"":""gone""}}"), "X.Y", t => t.Replace("gone", "***"));
            Assert.Equal("***", minimal.ServerMessage); // the redactor sees the server's text
        }

        [Fact]
        public void FiltersQuoteValuesSoNoInputChangesTheirShape()
        {
            Assert.Equal("(KLHST_WKS_HOSTNAME=\"a-1\")", KscWire.IdFilter(new[] { "a-1" }));
            Assert.Equal("(|(KLHST_WKS_HOSTNAME=\"a\")(KLHST_WKS_HOSTNAME=\"b\"))", KscWire.IdFilter(new[] { "a", "b" }));
            Assert.Equal("(KLHST_WKS_DN=\"web*\")", KscWire.NameFilter(Wildcard("web*")));
            Assert.Equal("(KLHST_WKS_DN=\"db?1\")", KscWire.NameFilter(Wildcard("db[0-9]1")));
            Assert.Equal("(KLHST_WKS_DN=\"say \\\"hi\\\" \\\\ \\*\")", KscWire.NameFilter(Wildcard("say \"hi\" \\ `*")));
            Assert.False(KscWire.IsHostId("x\")(KLHST_WKS_DN=\"*"));
            Assert.False(KscWire.IsHostId(""));
            Assert.True(KscWire.IsHostId("c5ac2d9e-3d7c-4e4b-9b8f-0e3f1c2a7b10"));
        }

        [Fact]
        public void TheSyncActionGuidIsReadFromTheOutParameterAndSentAsTheInParameter()
        {
            Assert.Equal("g-1", KscWire.ActionGuid(JObject.Parse("{\"strActionGuid\":\"g-1\"}")));
            Assert.Null(KscWire.ActionGuid(JObject.Parse("{\"wstrActionGuid\":\"g-1\"}"))); // CheckActionState's name, not AddHostsForSync's answer
            Assert.Equal("{\"wstrActionGuid\":\"g-1\"}", KscWire.CheckActionStateArgs("g-1").ToString(Newtonsoft.Json.Formatting.None));
        }

        private static NamePattern Wildcard(string text) => new NamePattern(text, true, _ => true);

        [Fact]
        public void TheSignInHeaderCarriesBase64CredentialsAndTheDomain()
        {
            var password = RedactorTests.Secure("p\u00e4ss");
            Assert.Equal("user=\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin")) + "\", pass=\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("p\u00e4ss")) + "\", domain=\"\", internal=\"1\"", KscWire.BasicAuthorization("admin", password, null));
            Assert.EndsWith("domain=\"CORP\", internal=\"0\"", KscWire.BasicAuthorization("ops", password, "CORP"));
            Assert.Equal(new Uri("https://ksc.example.com:13299/api/v1.0/"), KscWire.ApiBase(new Uri("https://ksc.example.com:13299/")));
        }
    }
}
