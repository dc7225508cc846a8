using TinyKv.Actors.Networking;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Tests.Network;

/// <summary>
/// Interface names interned per connection: the writer's table replaces a name by its number once
/// defined, the reader's table puts the name back; anything else a peer sends is a violation.
/// </summary>
public sealed class InterfaceNameTableTests
{
    [Fact]
    public void EachNameCrossesOnceAndEveryRequestArrivesWithItsName()
    {
        var writer = new InterfaceNameTable();
        var reader = new InterfaceNameTable();
        string[] names = ["A.IFoo", "A.IBar", "A.IFoo", "A.IFoo", "A.IBar", "B.IBaz", string.Empty];
        var seen = new HashSet<string>();

        foreach (var name in names)
        {
            var envelope = new Envelope { Kind = EnvelopeKind.Request, InterfaceType = name };
            writer.Intern(envelope);
            bool first = name.Length > 0 && seen.Add(name);
            Assert.Equal(first || name.Length == 0 ? name : string.Empty, envelope.InterfaceType);
            Assert.Equal(name.Length > 0, envelope.InterfaceId != 0);

            Assert.Null(reader.Restore(envelope));
            Assert.Equal(name, envelope.InterfaceType);
            Assert.Equal(0u, envelope.InterfaceId);
        }
    }

    [Fact]
    public void ANumberUsedBeforeItsDefinitionOrDefinedTwiceIsAViolation()
    {
        var reader = new InterfaceNameTable();
        Assert.Contains("before its definition", reader.Restore(new Envelope { InterfaceId = 3 }), StringComparison.Ordinal);

        Assert.Null(reader.Restore(new Envelope { InterfaceId = 1, InterfaceType = "A.IFoo" }));
        Assert.Contains("defined twice", reader.Restore(new Envelope { InterfaceId = 1, InterfaceType = "A.IBar" }), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnwrittenDefinitionIsForgottenAndItsNumberReused()
    {
        var writer = new InterfaceNameTable();
        var reader = new InterfaceNameTable();
        var dropped = new Envelope { InterfaceType = "A.IHuge" };
        Assert.True(writer.Intern(dropped));
        writer.Undefine(dropped.InterfaceType);

        var sent = new Envelope { InterfaceType = "A.IFoo" };
        Assert.True(writer.Intern(sent));
        Assert.Equal(dropped.InterfaceId, sent.InterfaceId);
        Assert.Null(reader.Restore(sent));

        var again = new Envelope { InterfaceType = "A.IHuge" };
        Assert.True(writer.Intern(again));
        Assert.Null(reader.Restore(again));
        Assert.Equal("A.IHuge", again.InterfaceType);
    }

    [Fact]
    public void PastItsCapacityNamesTravelInFull()
    {
        var writer = new InterfaceNameTable();
        for (int i = 0; i < InterfaceNameTable.Capacity; i++)
        {
            Assert.True(writer.Intern(new Envelope { InterfaceType = $"I{i}" }));
        }

        var extra = new Envelope { InterfaceType = "IExtra" };
        Assert.False(writer.Intern(extra));
        Assert.Equal("IExtra", extra.InterfaceType);
        Assert.Equal(0u, extra.InterfaceId);
    }
}
