using System.Diagnostics;

namespace Cashout.Portal.E2ETests.Infrastructure;

/// <summary>
/// nginx from Debian in front of portal nodes, as README "Running on several machines" configures it: sticky sessions
/// by a cookie nginx gives each new browser (Blazor Server circuits live on one node), WebSockets passed through, the
/// client's address forwarded, and a request that finds its node down sent to another. Runs in the foreground with its
/// own configuration, logs and pid file in a temp folder, on a free loopback port.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private LoadBalancer(Process process, string folder, Uri baseUrl)
    {
        this.process = process;
        this.folder = folder;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Where nginx sent each request so far: the upstream addresses in its access log, one per request.</summary>
    public IReadOnlyList<string> Upstreams() =>
        [.. File.ReadAllLines(Path.Combine(folder, "access.log")).Select(line => line.Split(' ')[^1])];

    /// <summary>Starts nginx on <paramref name="port"/> (the nodes were told it already) and waits until it answers /health.</summary>
    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<Uri> nodes, int port)
    {
        var folder = Directory.CreateTempSubdirectory("cashout-nginx-").FullName;
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(folder, port, nodes));
        var start = new ProcessStartInfo(NginxPath())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var balancer = new LoadBalancer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var answer = await http.GetAsync(new Uri(balancer.BaseUrl, "health"));
                if (answer.IsSuccessStatusCode)
                {
                    return balancer;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await balancer.DisposeAsync();
                throw new TimeoutException("nginx did not answer /health within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The configuration README "Running on several machines" shows, with this test's ports and folder.</summary>
    private static string Configuration(string folder, int port, IReadOnlyList<Uri> nodes) => $$"""
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        events { worker_connections 1024; }
        http {
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            log_format upstream '$remote_addr "$request" $status $upstream_addr';
            access_log {{folder}}/access.log upstream;
            client_max_body_size 2m;

            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            # Sticky sessions: a browser keeps the node its first request was given (a random key per new browser).
            map $cookie_cashout_node $cashout_node { '' $request_id; default $cookie_cashout_node; }

            upstream portal {
                hash $cashout_node consistent;
        {{string.Join("\n", nodes.Select(node => $"        server {node.Authority} max_fails=1 fail_timeout=10s;"))}}
            }

            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://portal;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 1h;
                    proxy_next_upstream error timeout http_502 http_503;
                    add_header Set-Cookie "cashout_node=$cashout_node; Path=/; HttpOnly; SameSite=Lax" always;
                }
            }
        }
        """;

    private static string NginxPath() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed: scripts/test.sh installs nginx-light from Debian.");

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
