using Microsoft.Extensions.Options;

namespace TinyKv.Actors.Hosting;

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add("SiloOptions.ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.AdvertisedHost))
        {
            errors.Add("SiloOptions.AdvertisedHost must not be empty.");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            errors.Add($"SiloOptions.SiloPort must be in 1..65535, got {options.SiloPort}.");
        }

        if (options.HostedStoreIds.Any(id => id <= 0))
        {
            errors.Add("SiloOptions.HostedStoreIds must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class SiloMessagingOptionsValidator : IValidateOptions<SiloMessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloMessagingOptions options)
    {
        var errors = new List<string>();
        if (options.ResponseTimeout <= TimeSpan.Zero)
        {
            errors.Add($"SiloMessagingOptions.ResponseTimeout must be positive, got {options.ResponseTimeout}.");
        }

        if (options.MaxForwardCount < 0)
        {
            errors.Add($"SiloMessagingOptions.MaxForwardCount must not be negative, got {options.MaxForwardCount}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class GrainCollectionOptionsValidator : IValidateOptions<GrainCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainCollectionOptions options) =>
        options.CollectionAge <= TimeSpan.Zero || options.CollectionQuantum <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"GrainCollectionOptions: CollectionAge ({options.CollectionAge}) and CollectionQuantum ({options.CollectionQuantum}) must be positive.")
            : ValidateOptionsResult.Success;
}

internal sealed class ClusterMembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        var errors = new List<string>();
        if (options.NumMissedProbesLimit < 1)
        {
            errors.Add("ClusterMembershipOptions.NumMissedProbesLimit must be at least 1.");
        }

        if (options.NumProbedSilos < 1)
        {
            errors.Add("ClusterMembershipOptions.NumProbedSilos must be at least 1.");
        }

        if (options.NumVotesForDeathDeclaration < 1)
        {
            errors.Add("ClusterMembershipOptions.NumVotesForDeathDeclaration must be at least 1.");
        }

        foreach (var (label, value) in new[]
        {
            ("ProbeTimeout", options.ProbeTimeout),
            ("DeathVoteExpirationTimeout", options.DeathVoteExpirationTimeout),
            ("IAmAliveTablePublishTimeout", options.IAmAliveTablePublishTimeout),
            ("TableRefreshTimeout", options.TableRefreshTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"ClusterMembershipOptions.{label} must be positive, got {value}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
