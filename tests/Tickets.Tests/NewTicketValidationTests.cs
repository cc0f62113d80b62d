using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

public sealed class NewTicketValidationTests
{
    [Theory]
    [InlineData("inconnu", "corps", "company", "ticket.subject_unknown")]
    [InlineData("autre", "   ", "company", "ticket.body_required")]
    [InlineData("autre", "corps", "everyone", "ticket.visibility_unknown")]
    public void An_invalid_request_names_its_field(string subject, string body, string mode, string code)
    {
        var errors = new NewTicket(subject, body, [], new VisibilityRequest(mode, []), null)
            .Validate(byStaff: false, maxBodyLength: 10_000);
        Assert.Contains(errors, e => e.Code == code);
    }

    [Fact]
    public void A_body_longer_than_the_limit_and_too_many_attachments_are_refused()
    {
        var request = new NewTicket("autre", new string('a', 101),
            Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()).ToList(), new VisibilityRequest("company", []), null);
        var codes = request.Validate(byStaff: false, maxBodyLength: 100).Select(e => e.Code).ToList();
        Assert.Contains("ticket.body_too_long", codes);
        Assert.Contains("ticket.too_many_attachments", codes);
    }

    [Fact]
    public void Staff_must_name_the_company()
    {
        var request = new NewTicket("autre", "corps", [], new VisibilityRequest("company", []), null);
        Assert.Contains(request.Validate(byStaff: true, 10_000), e => e.Code == "ticket.company_required");
        Assert.Empty(request.Validate(byStaff: false, 10_000));
    }
}
