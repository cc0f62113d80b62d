using Microsoft.AspNetCore.Components;
using Portal.Web.Api;
using Portal.Web.Data;

namespace Portal.Web.Components;

/// <summary>What every page and form shares: the user, the API, and one way to handle its refusals.</summary>
public abstract class PortalComponent : ComponentBase
{
    [Inject] protected PortalApi Api { get; set; } = default!;
    [Inject] protected UserSession Session { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] protected DraftStore Drafts { get; set; } = default!;

    protected SignedInUser User { get; private set; } = default!;

    /// <summary>
    /// The last refusal, in French, for the page to show; field errors are in <see cref="FieldErrors"/>.
    /// </summary>
    protected string? Error { get; set; }

    protected IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } =
        new Dictionary<string, string[]>();

    protected override async Task OnInitializedAsync()
    {
        User = await Session.CurrentAsync() ?? throw new InvalidOperationException("Pages need a signed-in user.");
        await LoadAsync();
    }

    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>
    /// Runs an API call; false when it was refused (the reason is in <see cref="Error"/>) or the session ended.
    /// </summary>
    protected async Task<bool> CallAsync(Func<Task> call)
    {
        Error = null;
        FieldErrors = new Dictionary<string, string[]>();
        try
        {
            await call();
            return true;
        }
        catch (SessionExpiredException)
        {
            // What was typed is kept in the drafts; the user comes back here after signing in.
            Navigation.NavigateTo(
                $"connexion?expire=true"
                    + $"&returnUrl={Uri.EscapeDataString(Navigation.ToBaseRelativePath(Navigation.Uri))}",
                forceLoad: true);
            return false;
        }
        catch (ApiProblemException problem)
        {
            Error = problem.Message;
            FieldErrors = problem.Errors;
            return false;
        }
        catch (HttpRequestException)
        {
            Error = ApiError.Unreachable;
            return false;
        }
        catch (TaskCanceledException)
        {
            // HttpClient's own timeout: the page stays as it was, with what was typed.
            Error = ApiError.TooSlow;
            return false;
        }
    }

    protected string? FieldError(string field) =>
        FieldErrors.FirstOrDefault(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase))
            .Value?.FirstOrDefault();
}
