// Local infrastructure runs Debian packages as processes (setpriv, file modes): Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
