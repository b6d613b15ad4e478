using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>The three things every Torace environment needs, however they are provided.</summary>
public sealed record ToraceInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Postgres,
    IResourceBuilder<IResourceWithConnectionString> RabbitMq,
    IResourceBuilder<IResourceWithConnectionString> Mail,
    string? MailWebUrl,
    string? RabbitMqManagementUrl);

public static class ToraceInfrastructureExtensions
{
    /// <summary>
    /// Connection strings given in configuration (ConnectionStrings:postgres, :rabbitmq, :mail) win;
    /// otherwise PostgreSQL, RabbitMQ and maildev run here as executable resources from Debian/npm
    /// packages, installed first when missing. The AppHost and the tests both come through here.
    /// </summary>
    public static ToraceInfrastructure AddToraceInfrastructure(this IDistributedApplicationBuilder builder, string repositoryRoot, string stateDirectory)
    {
        var configured = (string name) => !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name));
        var ephemeral = builder.Configuration.GetValue("Torace:Ephemeral", false);
        var options = LocalInfrastructureOptions.From(repositoryRoot, stateDirectory, ephemeral);
        LocalPackages.Ensure(options.ToolsDirectory, !configured("postgres"), !configured("rabbitmq"), !configured("mail"));

        IResourceBuilder<IResourceWithConnectionString> postgres, rabbitmq, mail;
        string? mailWeb = builder.Configuration["Torace:MailWebUrl"], management = builder.Configuration["Torace:RabbitMqManagementUrl"];

        postgres = configured("postgres")
            ? builder.AddConnectionString("postgres")
            : builder.CreateResourceBuilder<IResourceWithConnectionString>(builder.AddLocalPostgres("postgres", options).Resource);

        if (configured("rabbitmq"))
        {
            rabbitmq = builder.AddConnectionString("rabbitmq");
        }
        else
        {
            var local = builder.AddLocalRabbitMq("rabbitmq", options);
            management = local.Resource.ManagementUrl;
            rabbitmq = builder.CreateResourceBuilder<IResourceWithConnectionString>(local.Resource);
        }

        if (configured("mail"))
        {
            mail = builder.AddConnectionString("mail");
        }
        else
        {
            var local = builder.AddLocalMailDev("mail", options);
            mailWeb = local.Resource.WebUrl;
            mail = builder.CreateResourceBuilder<IResourceWithConnectionString>(local.Resource);
        }

        builder.AddInfrastructureStartupGuard();
        return new ToraceInfrastructure(postgres, rabbitmq, mail, mailWeb, management);
    }
}
