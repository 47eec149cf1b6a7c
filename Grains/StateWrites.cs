namespace CityArray.Grains;

/// <summary>Writes a grain's state, undoing the in-memory change when the write fails.</summary>
internal static class StateWrites
{
    /// <summary>
    /// Writes; when the write throws, runs <paramref name="rollback"/> (restoring the previous in-memory value) and
    /// rethrows, so a retry of the same call changes the state again and really writes instead of answering from
    /// memory that was never stored.
    /// </summary>
    public static async Task WriteOrRollbackAsync<T>(this IPersistentState<T> state, Action rollback)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            rollback();
            throw;
        }
    }
}
