using System.Text.RegularExpressions;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using CityArray.Grains.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;

namespace CityArray.Tests.Deploy;

/// <summary>
/// Every manifest in deploy/ parses, and what it says agrees with the code: images have Dockerfiles, ports are the
/// ports the processes listen on, probes hit endpoints that answer, and every environment variable is one the code reads.
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly string Root = FindRoot();
    private static string Deploy => Path.Combine(Root, "deploy");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CityArray.Actors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }

    private static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static List<(string File, YamlMappingNode Doc)> K8s() =>
        Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml", SearchOption.AllDirectories).Order()
            .SelectMany(f => Documents(f).Select(d => (Path.GetRelativePath(Deploy, f), d))).ToList();

    private static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    private static string? Text(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Seq(YamlNode? node, params string[] path) => At(node, path) is YamlSequenceNode s ? s.Children : [];

    private static YamlMappingNode Kind(string kind, string name) =>
        K8s().Select(x => x.Doc).Single(d => Text(d, "kind") == kind && Text(d, "metadata", "name") == name);

    private static YamlNode Container(string deployment) => Seq(Kind("Deployment", deployment), "spec", "template", "spec", "containers").Single();

    private static Dictionary<string, string> ConfigMap() =>
        ((YamlMappingNode)At(Kind("ConfigMap", "cityarray-config"), "data")!).Children
        .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);

    /// <summary>Upper-case string literals in the app's source: the environment variables the code reads.</summary>
    private static HashSet<string> NamesTheCodeReads()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in new[] { "Gateway", "Silo", "Grains" })
        foreach (var file in Directory.GetFiles(Path.Combine(Root, project), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        foreach (Match m in EnvLiteral().Matches(File.ReadAllText(file)))
            names.Add(m.Groups[1].Value);
        return names;
    }

    [GeneratedRegex("\"([A-Z][A-Z0-9_]{2,})\"")]
    private static partial Regex EnvLiteral();

    [Fact]
    public void Every_manifest_parses()
    {
        var files = Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Deploy, "compose"), "*.yml")).ToList();
        Assert.True(files.Count >= 10, $"{files.Count} manifests");
        foreach (var file in files) Assert.NotEmpty(Documents(file));
        var kinds = K8s().Select(x => Text(x.Doc, "kind")).ToHashSet();
        foreach (var kind in new[] { "Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "NetworkPolicy", "StatefulSet", "Ingress" })
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void Images_are_the_ones_the_dockerfiles_build_and_kustomize_renames()
    {
        var kustomize = Documents(Path.Combine(Deploy, "k8s", "kustomization.yaml")).Single();
        var renamed = Seq(kustomize, "images").Select(i => Text(i, "name")).ToHashSet();
        foreach (var (deployment, image) in new[] { ("cityarray-silo", "cityarray-silo"), ("cityarray-gateway", "cityarray-gateway") })
        {
            var name = Text(Container(deployment), "image")!.Split(':')[0];
            Assert.Equal(image, name);
            Assert.Contains(name, renamed);
            Assert.True(File.Exists(Path.Combine(Deploy, "docker", $"Dockerfile.{name["cityarray-".Length..]}")), $"no Dockerfile for {name}");
        }
        var compose = File.ReadAllText(Path.Combine(Deploy, "compose", "docker-compose.yml"));
        Assert.Contains("cityarray-silo:", compose);
        Assert.Contains("cityarray-gateway:", compose);
        var readme = File.ReadAllText(Path.Combine(Deploy, "README.md"));
        Assert.Contains("Dockerfile.silo", readme);
    }

    [Fact]
    public void Ports_match_the_code_defaults_the_configmap_and_the_services()
    {
        var defaults = CityArraySettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["DATABASE_URL"] = "postgresql://u:p@db:5432/cityarray" }).Build());
        var config = ConfigMap();
        Assert.Equal(defaults.SiloPort.ToString(), config["ORLEANS_SILO_PORT"]);
        Assert.Equal(defaults.GatewayPort.ToString(), config["ORLEANS_GATEWAY_PORT"]);
        Assert.Equal("8000", config["PORT"]);

        int Port(string deployment, string name) => int.Parse(Text(Seq(Container(deployment), "ports").Single(p => Text(p, "name") == name), "containerPort")!);
        Assert.Equal(defaults.SiloPort, Port("cityarray-silo", "silo"));
        Assert.Equal(defaults.GatewayPort, Port("cityarray-silo", "orleans-gw"));
        Assert.Equal(8000, Port("cityarray-gateway", "http"));

        var service = Kind("Service", "cityarray-gateway");
        Assert.Equal("http", Text(Seq(service, "spec", "ports").Single(), "targetPort"));
        Assert.Equal("cityarray-gateway", Text(service, "spec", "selector", "app.kubernetes.io/name"));

        // The Orleans ports are open only to CityArray's own pods.
        var policy = Kind("NetworkPolicy", "cityarray-silo-orleans-ports");
        Assert.Equal("cityarray-silo", Text(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
        var rule = Seq(policy, "spec", "ingress").Single();
        Assert.Equal(new[] { defaults.SiloPort, defaults.GatewayPort }.Order(), Seq(rule, "ports").Select(p => int.Parse(Text(p, "port")!)).Order());
        var from = Seq(rule, "from").ToList();
        Assert.NotEmpty(from);
        Assert.All(from, f => Assert.Null(At(f, "ipBlock")));
        Assert.Equal(new[] { "cityarray-gateway", "cityarray-silo" }, from.Select(f => Text(f, "podSelector", "matchLabels", "app.kubernetes.io/name")).Order());

        // Autoscaling targets the silo Deployment; shutdown fits in the grace period.
        var hpa = Kind("HorizontalPodAutoscaler", "cityarray-silo");
        Assert.Equal("cityarray-silo", Text(hpa, "spec", "scaleTargetRef", "name"));
        Assert.Equal("Deployment", Text(hpa, "spec", "scaleTargetRef", "kind"));
        foreach (var deployment in new[] { "cityarray-silo", "cityarray-gateway" })
        {
            var grace = int.Parse(Text(Kind("Deployment", deployment), "spec", "template", "spec", "terminationGracePeriodSeconds")!);
            Assert.True(grace > int.Parse(config["SHUTDOWN_TIMEOUT_SECONDS"]), $"{deployment}: grace {grace}s must exceed SHUTDOWN_TIMEOUT_SECONDS");
        }
    }

    [Fact]
    public void Silo_metrics_port_is_set_declared_annotated_and_open_to_scrapers()
    {
        var silo = Container("cityarray-silo");
        var env = Seq(silo, "env").Single(e => Text(e, "name") == "SILO_METRICS_PORT");
        var port = int.Parse(Text(env, "value")!);
        Assert.Equal(port, int.Parse(Text(Seq(silo, "ports").Single(p => Text(p, "name") == "metrics"), "containerPort")!));
        var annotations = (Kind("Deployment", "cityarray-silo"), new[] { "spec", "template", "metadata", "annotations" });
        Assert.Equal(port.ToString(), Text(annotations.Item1, [.. annotations.Item2, "prometheus.io/port"]));
        Assert.Equal("/metrics", Text(annotations.Item1, [.. annotations.Item2, "prometheus.io/path"]));
        Assert.Equal("/health", Text(silo, "livenessProbe", "httpGet", "path"));
        Assert.Equal("metrics", Text(silo, "livenessProbe", "httpGet", "port"));
        var policy = Kind("NetworkPolicy", "cityarray-silo-metrics");
        Assert.Equal(port, int.Parse(Text(Seq(Seq(policy, "spec", "ingress").Single(), "ports").Single(), "port")!));
    }

    [Fact]
    public async Task Gateway_probes_hit_endpoints_that_answer()
    {
        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }
            .Select(p => (Probe: p, Path: Text(Container("cityarray-gateway"), p, "httpGet", "path"), Port: Text(Container("cityarray-gateway"), p, "httpGet", "port")))
            .ToList();
        Assert.All(probes, p => Assert.Equal("http", p.Port));
        Assert.Equal("/ready", probes.Single(p => p.Probe == "readinessProbe").Path);
        Assert.Equal("/health", probes.Single(p => p.Probe == "livenessProbe").Path);
        var scrape = Text(Kind("Deployment", "cityarray-gateway"), "spec", "template", "metadata", "annotations", "prometheus.io/path");

        await using var server = await EmbeddedServer.StartAsync();
        foreach (var path in probes.Select(p => p.Path!).Append(scrape!).Distinct())
        {
            var response = await server.Http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }
    }

    /// <summary>The retention variables the silo reads (<c>RetentionConfiguration</c>), with the defaults the code states.</summary>
    private static List<(string Name, string Default)> RetentionVariables() =>
        RetentionRead().Matches(File.ReadAllText(Path.Combine(Root, "Silo", "Hosting", "RetentionConfiguration.cs")))
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    [GeneratedRegex("ReadDays\\(config, \"(RETENTION_[A-Z_]+)\", ([0-9.]+)\\)")]
    private static partial Regex RetentionRead();

    private static RetentionOptions Retention(IDictionary<string, string?> values) =>
        new ServiceCollection().AddRetention(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .BuildServiceProvider().GetRequiredService<IOptions<RetentionOptions>>().Value;

    [Fact]
    public void Every_retention_variable_is_set_to_the_code_default_in_kubernetes_compose_and_systemd()
    {
        var variables = RetentionVariables();
        Assert.Equal(6, variables.Count); // events, collectibles, submissions, metrics, messages, overrides
        var config = ConfigMap();
        var compose = Documents(Path.Combine(Deploy, "compose", "docker-compose.yml")).Single();
        var silo = At(compose, "services", "silo1", "environment") as YamlMappingNode;
        Assert.NotNull(silo);
        string? ComposeValue(string name) =>
            // The silo's environment merges the shared anchor: look through the merge key's mapping too.
            Text(silo, name) ?? (At(silo, "<<") is YamlMappingNode merged ? Text(merged, name) ?? (At(merged, "<<") is YamlMappingNode inner ? Text(inner, name) : null) : null);
        var systemd = File.ReadLines(Path.Combine(Deploy, "systemd", "cityarray.env.example"))
            .Where(l => Regex.IsMatch(l, "^[A-Z][A-Z0-9_]+=")).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        var composeEnv = File.ReadAllText(Path.Combine(Deploy, "compose", ".env.example"));
        var codeDefaults = Retention(new Dictionary<string, string?>());
        foreach (var (name, fallback) in variables)
        {
            Assert.True(config.TryGetValue(name, out var k8s), $"{name} missing from the ConfigMap");
            Assert.Equal(fallback, k8s);
            Assert.Equal($"${{{name}:-{fallback}}}", ComposeValue(name));
            Assert.True(systemd.TryGetValue(name, out var unit), $"{name} missing from cityarray.env.example");
            Assert.Equal(fallback, unit);
            Assert.Contains($"# {name}={fallback}", composeEnv);
        }
        // The values written in the manifests are the code's own defaults (not only the same digits in a comment).
        var fromManifest = Retention(variables.ToDictionary(v => v.Name, v => (string?)config[v.Name]));
        Assert.Equivalent(codeDefaults, fromManifest);
        Assert.Equal(TimeSpan.FromDays(30), codeDefaults.Events);
    }

    [Fact]
    public void Every_environment_variable_in_deploy_is_one_the_code_reads_and_the_readme_documents()
    {
        var read = NamesTheCodeReads();
        // Read by the platform, not by CityArray code.
        var foreign = new HashSet<string> { "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA" };
        var names = new List<(string Where, string Name)>();
        names.AddRange(ConfigMap().Keys.Select(k => ("configmap.yaml", k)));
        foreach (var (file, doc) in K8s())
        {
            if (Text(doc, "kind") is not ("Deployment" or "StatefulSet")) continue;
            foreach (var container in Seq(doc, "spec", "template", "spec", "containers"))
                names.AddRange(Seq(container, "env").Select(e => (file, Text(e, "name")!)));
        }
        foreach (var secret in K8s().Where(x => Text(x.Doc, "kind") == "Secret"))
            if (At(secret.Doc, "stringData") is YamlMappingNode data) names.AddRange(data.Children.Keys.Select(k => (secret.File, ((YamlScalarNode)k).Value!)));
        foreach (var file in Directory.GetFiles(Path.Combine(Deploy, "systemd"), "*.example"))
            // Commented-out lines are documentation of defaults (and of integrations that may not be built yet).
            names.AddRange(File.ReadLines(file).Where(l => Regex.IsMatch(l, "^[A-Z][A-Z0-9_]+="))
                .Select(l => (Path.GetFileName(file), l[..l.IndexOf('=')])));
        var compose = Documents(Path.Combine(Deploy, "compose", "docker-compose.yml")).Single();
        foreach (var service in ((YamlMappingNode)At(compose, "services")!).Children.Values)
            if (At(service, "environment") is YamlMappingNode env)
                names.AddRange(env.Children.Keys.Select(k => ("docker-compose.yml", ((YamlScalarNode)k).Value!)).Where(n => n.Item2 != "<<"));

        Assert.True(names.Count > 30, $"{names.Count} names found");
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")) + File.ReadAllText(Path.Combine(Deploy, "README.md"));
        var unknown = names.Where(n => !foreign.Contains(n.Name) && !read.Contains(n.Name)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "not read by the code: " + string.Join(", ", unknown.Select(u => $"{u.Name} ({u.Where})")));
        var undocumented = names.Select(n => n.Name).Where(n => !foreign.Contains(n) && !readme.Contains($"`{n}`")).Distinct().ToList();
        Assert.True(undocumented.Count == 0, "not in the README configuration tables: " + string.Join(", ", undocumented));
    }
}
