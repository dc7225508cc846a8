global using Google.Protobuf;
global using TinyKv.Actors;
global using TinyKv.Grains;
global using TinyKv.Grains.Interfaces;
global using TinyKv.Grains.Interfaces.Kvrpcpb;
global using TinyKv.TestingHost;
global using Xunit;
