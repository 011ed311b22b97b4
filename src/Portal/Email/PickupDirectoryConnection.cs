using MimeKit;

namespace Cashout.Portal.Email;

/// <summary>Development's way out: each message becomes an .eml file in a folder, and no SMTP server is needed.</summary>
internal sealed class PickupDirectoryConnection : IEmailConnection
{
    private readonly string directory;

    public PickupDirectoryConnection(string directory)
    {
        this.directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(this.directory);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        // 7-bit transfer encodings, as an SMTP server without 8BITMIME would receive it.
        message.Prepare(EncodingConstraint.SevenBit);
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.eml");
        var partial = path + ".tmp";
        await message.WriteToAsync(partial, cancellationToken);
        // Whoever reads the folder sees whole files only.
        File.Move(partial, path);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
