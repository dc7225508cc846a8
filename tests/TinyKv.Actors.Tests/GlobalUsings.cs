global using TinyKv.Actors;
global using TinyKv.TestingHost;
