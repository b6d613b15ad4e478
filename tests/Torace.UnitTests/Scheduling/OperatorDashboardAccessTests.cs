using System.Text;
using Torace.Scheduling.Operations;

namespace Torace.UnitTests.Scheduling;

public class OperatorDashboardAccessTests
{
    static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    [Fact]
    public void On_a_developers_machine_the_dashboard_is_open_to_local_requests_only()
    {
        Assert.True(OperatorDashboardAccess.Allows(development: true, local: true, "", "operator", null));
        Assert.False(OperatorDashboardAccess.Allows(development: true, local: false, Basic("operator:pw"), "operator", "pw"));
    }

    [Fact]
    public void Elsewhere_only_the_operators_credentials_open_it_and_without_a_password_nobody_does()
    {
        Assert.True(OperatorDashboardAccess.Allows(false, local: false, Basic("operator:s3cret"), "operator", "s3cret"));
        Assert.False(OperatorDashboardAccess.Allows(false, local: true, "", "operator", "s3cret"));
        Assert.False(OperatorDashboardAccess.Allows(false, false, Basic("operator:guess"), "operator", "s3cret"));
        Assert.False(OperatorDashboardAccess.Allows(false, false, Basic("admin:s3cret"), "operator", "s3cret"));
        Assert.False(OperatorDashboardAccess.Allows(false, false, "Basic not-base64!", "operator", "s3cret"));
        Assert.False(OperatorDashboardAccess.Allows(false, false, Basic("operator:"), "operator", null));
    }
}
