using System.Buffers;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// An <see cref="ICollectedCaseSink"/> that writes each kept case to a stream as a JSON line, so a
/// collection of any size runs in bounded memory. The lines are in collection order; sort by id (or
/// load into a <see cref="DatasetSnapshot"/>) for the canonical order.
/// </summary>
internal sealed class JsonLinesCaseSink : ICollectedCaseSink
{
    private readonly Stream destination;
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    /// <summary>Initializes a new instance of the <see cref="JsonLinesCaseSink"/> class.</summary>
    /// <param name="destination">Where to write; left open, and not flushed until <see cref="FlushAsync"/>.</param>
    public JsonLinesCaseSink(Stream destination)
    {
        this.destination = Guard.NotNull(destination);
    }

    /// <summary>Gets the number of cases written.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    public async ValueTask AddAsync(AnonymizedCase anonymizedCase, CancellationToken cancellationToken)
    {
        Guard.NotNull(anonymizedCase);
        buffer.ResetWrittenCount();
        CaseJsonLines.WriteLine(buffer, anonymizedCase);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Count++;
    }

    /// <summary>Flushes the destination stream.</summary>
    /// <param name="cancellationToken">Stops the flush.</param>
    /// <returns>A task that completes when the stream is flushed.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => destination.FlushAsync(cancellationToken);
}
