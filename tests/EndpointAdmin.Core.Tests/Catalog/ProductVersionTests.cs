using EndpointAdmin.Catalog;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class ProductVersionTests
    {
        [Theory]
        [InlineData("2.7", "2.7", "2.8")]
        [InlineData("2.7.1", "2.7.1", "2.7.2")]
        [InlineData("2", "2", "3")]
        [InlineData(" 10.0.0.5394 ", "10.0.0.5394", "10.0.0.5395")]
        [InlineData("3.5.3xxx", "3.5.3000", "3.5.4000")]
        [InlineData("3.5.2XXX", "3.5.2000", "3.5.3000")]
        public void ParsesTheRangeAVersionStandsFor(string text, string low, string high)
        {
            Assert.True(ProductVersion.TryParseRange(text, out var l, out var h));
            Assert.Equal(low, l.ToString());
            Assert.Equal(high, h.ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        [InlineData("abc")]
        [InlineData("2.x.1")]
        [InlineData("2..1")]
        [InlineData("-1.0")]
        [InlineData("1.2.3.4.5")]
        [InlineData("1.2.3a")]
        [InlineData("xxx")]
        [InlineData("99999999999")]
        public void RejectsWhatIsNoVersion(string text)
        {
            Assert.False(ProductVersion.TryParseRange(text, out _, out _));
        }

        [Theory]
        [InlineData("2.7", "2.7.0", 0)]
        [InlineData("2.7.1", "2.7", 1)]
        [InlineData("2.6.9", "2.7", -1)]
        [InlineData("10.0", "9.5", 1)]
        public void ComparesComponentByComponentWithMissingPartsAsZero(string a, string b, int sign)
        {
            Assert.Equal(sign, System.Math.Sign(ProductVersion.Parse(a).CompareTo(ProductVersion.Parse(b))));
        }

        [Theory]
        [InlineData("2.7.1", "2.8", "2.7.1", true)]
        [InlineData("2.7.1", "2.8", "2.7.9", true)]
        [InlineData("2.7.1", "2.8", "2.7", true)]      // the 2.7 line contains 2.7.1
        [InlineData("2.7.1", "2.8", "2.7.0", false)]
        [InlineData("2.7.1", "2.8", "2.8", false)]
        [InlineData("2.6", "2.7", "2.6.3", true)]
        [InlineData(null, "3.5.3000", "3.5.2999", true)]
        [InlineData(null, "3.5.3000", "3.5.3000", false)]
        [InlineData("3.5.3000", null, "3.6", true)]
        [InlineData("3.5.3000", null, "3.5.2xxx", false)]
        [InlineData("3.5.3000", null, "3.5.3xxx", true)]
        public void RangesOverlapWhatTheUserAsksFor(string min, string max, string asked, bool expected)
        {
            var range = new VersionRange("r", min == null ? null : ProductVersion.Parse(min), max == null ? null : ProductVersion.Parse(max));
            Assert.True(ProductVersion.TryParseRange(asked, out var low, out var high));
            Assert.Equal(expected, range.Overlaps(low, high));
        }
    }
}
