global using TinyKv.Actors;
