using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;

namespace Cashout.Portal.Identity;

/// <summary>Puts Identity's errors next to the field they are about, so they read like the form's own validation.</summary>
internal static class IdentityErrorFields
{
    /// <returns>The errors that belong to no field (shown at the top of the form).</returns>
    public static IReadOnlyList<string> AddIdentityErrors(
        this ValidationMessageStore store, IEnumerable<IdentityError> errors, FieldIdentifier passwordField, FieldIdentifier? emailField = null)
    {
        var unplaced = new List<string>();
        foreach (var error in errors)
        {
            switch (error.Code)
            {
                // The user name is the email, so a taken email is reported twice; DuplicateEmail says it.
                case nameof(IdentityErrorDescriber.DuplicateUserName) when emailField is not null:
                    break;
                case nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName)
                    when emailField is { } email:
                    store.Add(email, error.Description);
                    break;
                case not nameof(IdentityErrorDescriber.PasswordMismatch) when error.Code.StartsWith("Password", StringComparison.Ordinal):
                    store.Add(passwordField, error.Description);
                    break;
                default:
                    unplaced.Add(error.Description);
                    break;
            }
        }

        return unplaced;
    }
}
