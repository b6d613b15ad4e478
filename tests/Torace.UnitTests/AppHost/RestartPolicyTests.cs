using Torace.AppHost.Recovery;

namespace Torace.UnitTests.AppHost;

public class RestartPolicyTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Given the states a resource went through (one second apart), what it knows now.</summary>
    static ResourceWatch Given(params string[] states) =>
        states.Select((s, i) => (s, i)).Aggregate(ResourceWatch.Unseen, (w, x) => RestartPolicy.Observe(w, x.s, T0.AddSeconds(x.i)).Watch);

    [Fact]
    public void A_running_service_whose_process_ends_on_its_own_is_started_again_after_a_second()
    {
        var (_, restart) = RestartPolicy.Observe(Given("Starting", "Running"), "Finished", T0.AddSeconds(5));

        Assert.Equal(new RestartDecision(TimeSpan.FromSeconds(1), 1), restart);
    }

    [Fact]
    public void A_stop_the_operator_asked_for_is_not_undone()
    {
        Assert.Null(RestartPolicy.Observe(Given("Starting", "Running", "Stopping"), "Finished", T0.AddSeconds(5)).Restart);
        Assert.Null(RestartPolicy.Observe(Given("Starting", "Running", "Stopping"), "Terminated", T0.AddSeconds(5)).Restart);
        Assert.Null(RestartPolicy.Observe(Given("Starting", "Running"), "Terminated", T0.AddSeconds(5)).Restart);
    }

    [Fact]
    public void A_restart_the_operator_asked_for_is_not_doubled()
    {
        var watch = Given("Starting", "Running", "Stopping", "Terminated", "Starting");

        var (running, restart) = RestartPolicy.Observe(watch, "Running", T0.AddSeconds(10));

        Assert.Null(restart);
        Assert.False(running.StopAsked);
        Assert.Equal(0, running.Restarts);
    }

    [Fact]
    public void A_service_that_never_ran_is_not_started_again()
    {
        Assert.Null(RestartPolicy.Observe(Given("Waiting", "Starting"), "FailedToStart", T0.AddSeconds(5)).Restart);
        Assert.Null(RestartPolicy.Observe(Given("Waiting", "Starting"), "Finished", T0.AddSeconds(5)).Restart);
    }

    [Fact]
    public void Crashes_in_a_row_wait_twice_as_long_each_time_up_to_thirty_seconds()
    {
        var watch = Given("Starting", "Running");
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var now = T0.AddSeconds(10 * (i + 1));
            (watch, var restart) = RestartPolicy.Observe(watch, "Finished", now);
            delays.Add(restart!.Delay);
            (watch, _) = RestartPolicy.Observe(RestartPolicy.Observe(watch, "Starting", now.AddSeconds(2)).Watch, "Running", now.AddSeconds(3));
        }

        Assert.Equal(new[] { 1, 2, 4, 8, 16, 30, 30, 30 }, delays.Select(d => (int)d.TotalSeconds));
        Assert.Equal(8, watch.Restarts);
    }

    [Fact]
    public void A_service_that_stayed_running_for_a_minute_counts_its_restarts_from_one_again()
    {
        var watch = Given("Starting", "Running") with { Restarts = 5 };

        var (_, soon) = RestartPolicy.Observe(watch, "Finished", T0.AddSeconds(59));
        var (_, later) = RestartPolicy.Observe(watch, "Finished", T0.AddSeconds(62));

        Assert.Equal(6, soon!.Restart);
        Assert.Equal(new RestartDecision(TimeSpan.FromSeconds(1), 1), later);
    }

    [Fact]
    public void The_same_state_reported_again_decides_nothing()
    {
        var watch = Given("Starting", "Running", "Finished");

        Assert.Equal((watch, (RestartDecision?)null), RestartPolicy.Observe(watch, "Finished", T0.AddSeconds(9)));
    }
}
