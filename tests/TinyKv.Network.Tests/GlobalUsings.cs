global using TinyKv.Actors;
global using Xunit;
