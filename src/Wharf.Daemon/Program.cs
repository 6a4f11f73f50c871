using Wharf.Daemon;

return await DaemonHost.RunAsync(args);
