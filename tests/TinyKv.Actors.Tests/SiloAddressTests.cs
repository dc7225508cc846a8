namespace TinyKv.Actors.Tests;

/// <summary>SiloAddress keeps its hash and its wire form after the first use: equality, hashing and the wire form stay by value, copies included.</summary>
public sealed class SiloAddressTests
{
    [Fact]
    public void EqualAddressesHashAlikeWhetherOrNotOneWasHashedBefore()
    {
        var hashed = new SiloAddress("10.0.0.1", 11111, 3);
        _ = hashed.GetHashCode();
        var fresh = new SiloAddress(new string("10.0.0.1".AsSpan()), 11111, 3);

        Assert.Equal(hashed, fresh);
        Assert.True(hashed == fresh);
        Assert.Equal(hashed.GetHashCode(), fresh.GetHashCode());
        Assert.NotEqual(hashed, new SiloAddress("10.0.0.1", 11111, 4));
        Assert.NotEqual(hashed, new SiloAddress("10.0.0.2", 11111, 3));
    }

    [Fact]
    public void ACopyWithAnotherPortIsAnotherKey()
    {
        var original = new SiloAddress("10.0.0.1", 11111, 3);
        var table = new Dictionary<SiloAddress, string> { [original] = "original" };
        var copy = original with { Port = 11112 };

        Assert.NotEqual(original, copy);
        Assert.False(table.ContainsKey(copy));
        table[copy] = "copy";
        Assert.Equal("copy", table[new SiloAddress("10.0.0.1", 11112, 3)]);
        Assert.Equal("original", table[new SiloAddress("10.0.0.1", 11111, 3)]);
    }

    [Fact]
    public void ACopyIsWrittenWithItsOwnValues()
    {
        var original = new SiloAddress("10.0.0.1", 11111, 3);
        var written = Runtime.EnvelopeCodec.Write(original);
        var copy = original with { Generation = 4 };

        Assert.Same(written, Runtime.EnvelopeCodec.Write(original));
        Assert.Equal(4, Runtime.EnvelopeCodec.Write(copy).Generation);
        Assert.Equal(3, Runtime.EnvelopeCodec.Write(original).Generation);
        Assert.Equal(copy, Runtime.EnvelopeCodec.Read(Runtime.EnvelopeCodec.Write(copy)));
    }
}
