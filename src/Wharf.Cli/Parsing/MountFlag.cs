using System.Globalization;
using Wharf.Api.Containers;

namespace Wharf.Cli.Parsing;

/// <summary>Parses <c>--mount type=...,src=...,dst=...</c> the way the docker CLI does (CSV of key[=value]).</summary>
internal static class MountFlag
{
    public static MountSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var mount = new MountSpec { Type = "volume" };
        MountVolumeOptions Volume() => mount.VolumeOptions ??= new MountVolumeOptions();
        MountBindOptions Bind() => mount.BindOptions ??= new MountBindOptions();
        MountTmpfsOptions Tmpfs() => mount.TmpfsOptions ??= new MountTmpfsOptions();
        foreach (var field in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? null : field[(eq + 1)..];
            switch (key)
            {
                case "type": mount.Type = Required(key, value); break;
                case "source" or "src": mount.Source = value ?? ""; break;
                case "target" or "dst" or "destination": mount.Target = Required(key, value); break;
                case "readonly" or "ro": mount.ReadOnly = Bool(key, value); break;
                case "consistency": mount.Consistency = value; break;
                case "bind-propagation": Bind().Propagation = Required(key, value); break;
                case "bind-nonrecursive": Bind().NonRecursive = Bool(key, value); break;
                case "bind-create-mountpoint": Bind().CreateMountpoint = Bool(key, value); break;
                case "bind-recursive":
                    switch (value)
                    {
                        case "enabled": break;
                        case "disabled": Bind().NonRecursive = true; break;
                        case "writable": Bind().ReadOnlyNonRecursive = true; break;
                        case "readonly": Bind().ReadOnlyForceRecursive = true; break;
                        default: throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: invalid value for {key}: {value}");
                    }
                    break;
                case "volume-nocopy": Volume().NoCopy = Bool(key, value); break;
                case "volume-subpath": Volume().Subpath = value; break;
                case "volume-label":
                    var (labelKey, labelValue) = Pair(key, value);
                    (Volume().Labels ??= [])[labelKey] = labelValue;
                    break;
                case "volume-driver":
                    (Volume().DriverConfig ??= new MountVolumeDriverConfig()).Name = Required(key, value);
                    break;
                case "volume-opt":
                    var (optKey, optValue) = Pair(key, value);
                    var driver = Volume().DriverConfig ??= new MountVolumeDriverConfig();
                    (driver.Options ??= [])[optKey] = optValue;
                    break;
                case "tmpfs-size": Tmpfs().SizeBytes = ByteSize.Parse(Required(key, value), "--mount"); break;
                case "tmpfs-mode":
                    Tmpfs().Mode = int.TryParse(Required(key, value), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                        ? Convert.ToInt32(value, 8)
                        : throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: invalid value for {key}: {value}");
                    break;
                default: throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }
        if (string.IsNullOrEmpty(mount.Target))
            throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: target is required");
        return mount;

        string Required(string key, string? value) =>
            string.IsNullOrEmpty(value) ? throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: invalid field '{key}' must be a key=value pair") : value;

        bool Bool(string key, string? value) => value switch
        {
            null or "1" or "true" or "True" => true,
            "0" or "false" or "False" => false,
            _ => throw new CliUsageException($"invalid argument \"{text}\" for \"--mount\" flag: invalid value for {key}: {value}"),
        };

        (string, string) Pair(string key, string? value)
        {
            var v = Required(key, value);
            var at = v.IndexOf('=', StringComparison.Ordinal);
            return at < 0 ? (v, "") : (v[..at], v[(at + 1)..]);
        }
    }
}
