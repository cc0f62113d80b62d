using Portal.Contracts;
using Portal.Notifications.Model;
using Xunit;

namespace Portal.Notifications.Tests;

public sealed class RecipientsTests
{
    private static readonly Guid Company = Guid.NewGuid();
    private static readonly DirectoryEntry Creator = Member("creator");
    private static readonly DirectoryEntry Listed = Member("listed");
    private static readonly DirectoryEntry Colleague = Member("colleague");
    private static readonly DirectoryEntry Elsewhere =
        new(Guid.NewGuid(), "x@ailleurs.example", "Ailleurs", "member", Guid.NewGuid());
    private static readonly DirectoryEntry Nadia = Staff("nadia");
    private static readonly DirectoryEntry Thomas = Staff("thomas");
    private static readonly DirectoryEntry[] Directory = [Creator, Listed, Colleague, Elsewhere, Nadia, Thomas];

    private static DirectoryEntry Member(string name) =>
        new(Guid.NewGuid(), $"{name}@entreprise.example", name, "member", Company);

    private static DirectoryEntry Staff(string name) =>
        new(Guid.NewGuid(), $"{name}@pole-sante-travail.example", name, "staff", null);

    private static ThreadAudience Thread(string mode) =>
        new(Guid.NewGuid(), 1, "Autre demande", Company, mode, [Listed.UserId], Creator.UserId);

    private static IEnumerable<DirectoryEntry> Told(DirectoryEntry author, string mode) =>
        Recipients.Of(new Actor(author.UserId, author.Role), Thread(mode), Directory);

    [Fact]
    public void Staff_writing_in_a_restricted_thread_tell_its_creator_and_listed_members_only() =>
        Assert.Equal([Creator, Listed], Told(Nadia, VisibilityModes.Restricted));

    [Fact]
    public void Staff_writing_in_a_company_thread_tell_every_member_of_that_company() =>
        Assert.Equal([Creator, Listed, Colleague], Told(Nadia, VisibilityModes.Company));

    [Fact]
    public void A_member_writing_tells_every_staff_user_and_no_member() =>
        Assert.Equal([Nadia, Thomas], Told(Listed, VisibilityModes.Company));

    [Fact]
    public void The_author_is_never_told()
    {
        Assert.DoesNotContain(Creator, Told(Creator, VisibilityModes.Company));
        Assert.DoesNotContain(Nadia, Told(Nadia, VisibilityModes.Company));
        Assert.DoesNotContain(Listed, Told(Listed, VisibilityModes.Restricted));
    }
}
