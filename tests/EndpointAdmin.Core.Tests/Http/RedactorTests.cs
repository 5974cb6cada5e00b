using System.Linq;
using System.Security;
using EndpointAdmin.Http;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class RedactorTests
    {
        [Theory]
        [InlineData("api-secret-key: 2:abcdef", "api-secret-key: ***")]
        [InlineData("Authorization: ApiKey xyz123", "Authorization: ***")]
        [InlineData("Proxy-Authorization: Basic dXNlcjpwYXNz\nnext", "Proxy-Authorization: ***\nnext")]
        [InlineData("{\"password\":\"hunter22\"}", "{\"password\":\"***\"}")]
        [InlineData("nothing secret here", "nothing secret here")]
        public void HeaderLikeSecretsAreMasked(string text, string expected)
        {
            Assert.Equal(expected, Redactor.Redact(text));
        }

        [Fact]
        public void TheSessionKeyIsMaskedWhereverItAppears()
        {
            var key = Secure("2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo=");
            Assert.Equal("server said *** was wrong (***)", Redactor.Redact("server said 2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo= was wrong (2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo=)", key));
        }

        [Fact]
        public void ThumbprintsAreNormalizedFromTheUsualSpellings()
        {
            Assert.Equal(new string('A', 40), CertificatePin.Normalize(string.Join(":", new string[20].Select(_ => "aa"))));
            Assert.Equal(new string('B', 64), CertificatePin.Normalize(new string('b', 64)));
            Assert.Null(CertificatePin.Normalize("xyz"));
            Assert.Null(CertificatePin.Normalize(new string('a', 39)));
        }

        internal static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            return s;
        }
    }
}
