using System.Text;
using Microsoft.Extensions.Logging;

namespace TinyKv.Raft.Tests.Interaction;

/// <summary>Writes raft log events into the interaction trace as "LEVEL message" lines.</summary>
internal sealed class TraceLogger(StringBuilder output) : ILogger
{
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string level = logLevel switch
        {
            LogLevel.Trace => "TRACE",
            LogLevel.Debug => "DEBUG",
            LogLevel.Information => "INFO",
            LogLevel.Warning => "WARN",
            LogLevel.Error => "ERROR",
            _ => "CRIT",
        };
        output.Append(level).Append(' ').Append(formatter(state, exception)).Append('\n');
    }
}
