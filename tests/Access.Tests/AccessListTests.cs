using Microsoft.Extensions.Hosting;
using Portal.Access.Model;
using Xunit;

namespace Portal.Access.Tests;

public sealed class AccessListTests
{
    private static readonly Guid Company = Guid.NewGuid();
    private static readonly Guid OtherCompany = Guid.NewGuid();
    private static readonly Guid Creator = Guid.NewGuid();
    private static readonly Guid Colleague = Guid.NewGuid();
    private static readonly Guid OtherColleague = Guid.NewGuid();

    private static AccessList Restricted(params Guid[] users) =>
        AccessList.Initial(Guid.NewGuid(), Company, Creator, creatorIsMember: true, "restricted", users);

    [Fact]
    public void The_creator_is_always_listed_first_and_once()
    {
        var list = Restricted(Colleague, Creator, Colleague);
        Assert.Equal([Creator, Colleague], list.UserIds);
        Assert.Equal(1, list.Version);
    }

    [Fact]
    public void The_creator_cannot_be_removed_by_a_change()
    {
        var changed = Restricted(Colleague).ChangedTo("restricted", [OtherColleague], creatorIsMember: true);
        Assert.Equal([Creator, OtherColleague], changed.UserIds);
        Assert.Equal(2, changed.Version);
    }

    [Fact]
    public void A_listed_colleague_sees_a_restricted_thread_and_an_unlisted_one_does_not()
    {
        var list = Restricted(Colleague);
        Assert.True(list.CanSee(new PortalUser(Creator, false, Company, "")));
        Assert.True(list.CanSee(new PortalUser(Colleague, false, Company, "")));
        Assert.False(list.CanSee(new PortalUser(OtherColleague, false, Company, "")));
    }

    [Fact]
    public void Company_mode_lets_every_user_of_the_company_see_and_nobody_else()
    {
        var list = Restricted().ChangedTo("company", [], creatorIsMember: true);
        Assert.True(list.CanSee(new PortalUser(OtherColleague, false, Company, "")));
        Assert.True(list.CanSee(new PortalUser(Guid.NewGuid(), false, Company, "")));
        Assert.False(list.CanSee(new PortalUser(Guid.NewGuid(), false, OtherCompany, "")));
    }

    [Fact]
    public void A_user_of_another_company_never_sees_even_when_listed_by_id()
    {
        var list = Restricted(Colleague);
        Assert.False(list.CanSee(new PortalUser(Colleague, false, OtherCompany, "")));
        Assert.False(list.CanSee(new PortalUser(Creator, false, null, "")));
    }

    [Fact]
    public void Staff_see_every_thread()
    {
        Assert.True(Restricted().CanSee(new PortalUser(Guid.NewGuid(), true, null, "")));
    }

    [Fact]
    public void A_staff_creator_is_not_listed_among_the_company_users()
    {
        var staff = Guid.NewGuid();
        var list = AccessList.Initial(
            Guid.NewGuid(), Company, staff, creatorIsMember: false, "restricted", [Colleague]);
        Assert.Equal([Colleague], list.UserIds);
        Assert.Equal(staff, list.CreatorId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("public")]
    [InlineData("Company")]
    public void An_unknown_mode_is_refused(string? mode)
    {
        var errors = new AccessRequest(mode, []).Validate(Company, new HashSet<Guid>());
        Assert.Equal("access.mode_unknown", Assert.Single(errors).Code);
    }

    [Fact]
    public void A_user_outside_the_company_is_refused()
    {
        var errors = new AccessRequest("restricted", [Colleague, Guid.NewGuid()])
            .Validate(Company, new HashSet<Guid> { Colleague });
        Assert.Equal("access.user_not_in_company", Assert.Single(errors).Code);
        Assert.Empty(new AccessRequest("restricted", [Colleague]).Validate(Company, new HashSet<Guid> { Colleague }));
    }
}
