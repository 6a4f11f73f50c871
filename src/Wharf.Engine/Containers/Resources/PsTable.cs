namespace Wharf.Engine.Containers.Resources;

/// <summary>docker top's view of the host's ps output: the titles, and the rows of the container's processes
/// only. Columns are split on blanks except the last (the command), which keeps its spaces.</summary>
public sealed record PsTable(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes)
{
    /// <summary>Parses <paramref name="psOutput"/> and keeps the rows whose PID column is one of
    /// <paramref name="pids"/>. Throws FormatException when there is no PID column.</summary>
    public static PsTable Parse(string psOutput, IReadOnlyCollection<int> pids)
    {
        ArgumentNullException.ThrowIfNull(psOutput);
        ArgumentNullException.ThrowIfNull(pids);
        var lines = psOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) throw new FormatException("Couldn't find PID field in ps output");
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pidIndex = Array.IndexOf(titles, "PID");
        if (pidIndex < 0) throw new FormatException("Couldn't find PID field in ps output");
        var wanted = new HashSet<int>(pids);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var line in lines.Skip(1))
        {
            var fields = SplitFields(line, titles.Length);
            if (fields.Count <= pidIndex) continue;
            if (!int.TryParse(fields[pidIndex], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
            if (wanted.Contains(pid)) rows.Add(fields);
        }
        return new PsTable(titles, rows);
    }

    private static List<string> SplitFields(string line, int columns)
    {
        var fields = new List<string>(columns);
        var i = 0;
        while (i < line.Length && fields.Count < columns - 1)
        {
            while (i < line.Length && line[i] == ' ') i++;
            var start = i;
            while (i < line.Length && line[i] != ' ') i++;
            if (i > start) fields.Add(line[start..i]);
        }
        while (i < line.Length && line[i] == ' ') i++;
        if (i < line.Length) fields.Add(line[i..].TrimEnd());
        return fields;
    }
}
